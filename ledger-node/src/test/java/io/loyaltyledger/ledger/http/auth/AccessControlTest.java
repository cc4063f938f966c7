package io.loyaltyledger.ledger.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.ledger.node.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens over a bound port: a node with protected reads (the default) and one whose reads
 * are open and metrics protected, each a real node with its own database.
 */
class AccessControlTest {

  @TempDir static Path dir;
  static LedgerNode guarded;
  static LedgerNode openReads;

  @BeforeAll
  static void start() throws Exception {
    guarded = LedgerNode.start(new TestNodes(dir.resolve("guarded"), 1, 64).config(0));
    openReads =
        LedgerNode.start(
            new TestNodes(dir.resolve("open"), 1, 64)
                .with("loyalty.http.auth.reads", "open")
                .with("loyalty.http.auth.metrics", "protected")
                .config(0));
    CompletableFuture.allOf(guarded.started(), openReads.started()).get(90, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    for (LedgerNode node : new LedgerNode[] {guarded, openReads}) {
      if (node != null) {
        node.close();
      }
    }
  }

  private static ApiClient as(LedgerNode node, String token) {
    return new ApiClient(node.httpPort()).withToken(token);
  }

  @Test
  void aWriteWithoutATokenIsUnauthorizedAndWritesNothing() {
    Answer refused = as(guarded, null).adjust("ann", "welcome-ann", 10, "welcome");
    assertError(refused, 401, "unauthorized");
    assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer").doesNotContain("error=");

    assertThat(guarded.rows().row("ann")).isEmpty();
    assertThat(as(guarded, TestTokens.WRITE).balance("ann")).isZero();
    // The key stored nothing either: the same request with a token is applied now, once.
    Answer accepted = as(guarded, TestTokens.WRITE).adjust("ann", "welcome-ann", 10, "welcome");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
    assertThat(accepted.replayed()).isFalse();
    assertThat(balanceAfter(guarded, "ann", accepted)).isEqualTo(10);
  }

  @Test
  void anUnknownTokenIsUnauthorizedWithAnInvalidTokenChallenge() {
    Answer refused = as(guarded, "not-a-token-of-this-node-0123456789").adjust("bob", "k-bob", 5, "x");
    assertError(refused, 401, "unauthorized");
    assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
    assertError(
        as(guarded, null).send(request(guarded, "/v1/accounts/bob/adjustments")
            .header("Authorization", "Basic dXNlcjpwYXNz")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"points\":5,\"reason\":\"x\"}"))),
        401, "unauthorized");
    assertThat(guarded.rows().row("bob")).isEmpty();
  }

  @Test
  void aReadOnlyTokenReadsButMayNotWrite() {
    ApiClient reader = as(guarded, TestTokens.READ);
    assertThat(reader.get("/v1/accounts/cid").status()).isEqualTo(200);
    assertThat(reader.get("/v1/node").status()).isEqualTo(200);

    assertError(reader.adjust("cid", "k-cid", 5, "x"), 403, "forbidden");
    assertThat(guarded.rows().row("cid")).isEmpty();
    assertThat(as(guarded, TestTokens.WRITE).adjust("cid", "k-cid", 5, "x").status()).isEqualTo(201);
  }

  @Test
  void everyConfiguredWriteTokenIsAccepted() {
    assertThat(as(guarded, TestTokens.WRITE).adjust("dan", "k-dan-1", 1, "old token").status())
        .isEqualTo(201);
    Answer rotated = as(guarded, TestTokens.WRITE_ROTATED).adjust("dan", "k-dan-2", 2, "new token");
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
    assertThat(balanceAfter(guarded, "dan", rotated)).isEqualTo(3);
  }

  @Test
  void theTokenIsCheckedBeforeAnythingElseOfTheRequest() {
    ApiClient anonymous = as(guarded, null);
    // malformed JSON, an unknown path, a method no route takes: unauthorized all the same
    assertError(anonymous.post("/v1/accounts/eve/adjustments", "k-eve", "{\"points\":"), 401, "unauthorized");
    assertError(anonymous.post("/v1/nothing-here", "k-eve", "{}"), 401, "unauthorized");
    assertError(anonymous.send(request(guarded, "/v1/accounts/eve").DELETE()), 401, "unauthorized");
    // akka-management's routes too
    assertError(anonymous.send(request(guarded, "/cluster/members").PUT(HttpRequest.BodyPublishers.noBody())),
        401, "unauthorized");
    ApiClient writer = as(guarded, TestTokens.WRITE);
    assertError(writer.send(request(guarded, "/v1/accounts/eve").DELETE()), 405, "method_not_allowed");
  }

  @Test
  void protectedReadsNeedATokenButHealthAndMetricsDoNot() {
    ApiClient anonymous = as(guarded, null);
    for (String path : List.of("/v1/accounts/fay", "/v1/node", "/v1/cluster", "/cluster/members")) {
      assertError(anonymous.get(path), 401, "unauthorized");
    }
    assertThat(anonymous.get("/ready").status()).isEqualTo(200);
    assertThat(anonymous.get("/alive").status()).isEqualTo(200);
    Answer metrics = anonymous.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    // refusals are counted like every other answer
    assertThat(metrics.body()).containsPattern("loyalty_http_requests_total\\{.*status=\"401\"");
  }

  @Test
  void openReadsNeedNoTokenButWritesAndProtectedMetricsDo() {
    ApiClient anonymous = as(openReads, null);
    assertThat(anonymous.get("/v1/accounts/gus").status()).isEqualTo(200);
    assertThat(anonymous.get("/v1/cluster").status()).isEqualTo(200);
    assertError(anonymous.adjust("gus", "k-gus", 5, "x"), 401, "unauthorized");
    assertThat(openReads.rows().row("gus")).isEmpty();

    assertError(anonymous.get("/metrics"), 401, "unauthorized");
    assertThat(as(openReads, TestTokens.READ).get("/metrics").status()).isEqualTo(200);
    assertThat(anonymous.get("/ready").status()).isEqualTo(200);
  }

  @Test
  void aNodeWithoutAWriteTokenRefusesToStart() {
    assertThatThrownBy(
            () ->
                LedgerNode.start(
                    new TestNodes(dir.resolve("tokenless"), 1, 64)
                        .with("loyalty.http.auth.write-tokens", List.of())
                        .config(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("write-tokens");
    // refused before it opened anything
    assertThat(dir.resolve("tokenless")).doesNotExist();
  }

  /** The balance once the write that answered {@code written} is visible (its read token). */
  private static long balanceAfter(LedgerNode node, String account, Answer written) {
    String token = written.json().get("token").asText();
    Answer read = as(node, TestTokens.READ).get("/v1/accounts/" + account + "?after=" + token);
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    return read.json().get("balance").asLong();
  }

  private static HttpRequest.Builder request(LedgerNode node, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path));
  }

  private static void assertError(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.error()).as(answer.body()).isEqualTo(code);
    assertThat(answer.json().get("message").asText()).isNotBlank();
  }
}
