package io.loyaltyledger.ledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request the node cannot answer within the request timeout still gets a JSON error. */
class RequestTimeoutTest {

  @TempDir static Path dir;
  static LedgerNode node;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    TestNodes nodes = new TestNodes(dir, 1, 64).with("akka.http.server.request-timeout", "1s");
    node = LedgerNode.start(nodes.config(0));
    node.started().get(60, TimeUnit.SECONDS);
    api = new ApiClient(node.httpPort(), Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aRequestStillRunningAtTheTimeoutIsAnsweredWithAStableCode() {
    // waits up to 10 s for a version this writer never wrote: longer than the 1 s timeout
    String writer = api.get("/v1/node").json().get("writerKey").asText();
    Answer answer = api.get("/v1/accounts/erin?after=" + writer + ":999&timeout=10000");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.error()).isEqualTo("request_timeout");
  }

  @Test
  void theShippedTimeoutLetsTheLongestReadWaitAnswerItself() {
    Config shipped =
        ConfigFactory.parseFile(TestNodes.projectFile("config/node-common.conf").toFile())
            .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    assertThat(shipped.getDuration("akka.http.server.request-timeout"))
        .isGreaterThan(shipped.getDuration("loyalty.reads.max-wait"));
  }
}
