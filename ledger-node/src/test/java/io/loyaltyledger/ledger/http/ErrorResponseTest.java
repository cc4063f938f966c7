package io.loyaltyledger.ledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.pattern.AskTimeoutException;
import io.loyaltyledger.ledger.replica.ReplicaUnavailableException;
import io.loyaltyledger.ledger.writer.WriterBusyException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How failures that reach a route become answers: never a 500 for a node that is only slow. */
class ErrorResponseTest {

  @Test
  void aReplicatorThatDidNotAnswerInTimeIsUnavailableNotAnInternalError() {
    HttpResponse response =
        ApiDirectives.errorResponse(new CompletionException(new AskTimeoutException("timed out")));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(body(response)).contains("\"error\":\"replica_unavailable\"");
  }

  @Test
  void anUnavailableReplicaIsUnavailable() {
    HttpResponse response =
        ApiDirectives.errorResponse(new ReplicaUnavailableException("bucket 7 could not be read"));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(body(response)).contains("\"error\":\"replica_unavailable\"");
  }

  @Test
  void aBusyWriterDatabaseIsUnavailableNotAnInternalError() {
    HttpResponse response = ApiDirectives.errorResponse(new CompletionException(
        new WriterBusyException("no connection", new SQLTransientConnectionException("timeout"))));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(body(response)).contains("\"error\":\"writer_busy\"");
  }

  @Test
  void anythingElseIsAnInternalErrorWithoutDetails() {
    HttpResponse response = ApiDirectives.errorResponse(new IllegalStateException("secret detail"));

    assertThat(response.status().intValue()).isEqualTo(500);
    assertThat(body(response)).contains("\"error\":\"internal_error\"").doesNotContain("secret");
  }

  private static String body(HttpResponse response) {
    return ((HttpEntity.Strict) response.entity()).getData().decodeString(StandardCharsets.UTF_8);
  }
}
