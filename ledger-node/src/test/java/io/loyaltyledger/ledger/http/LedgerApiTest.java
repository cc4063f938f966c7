package io.loyaltyledger.ledger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API of one ledger node, over a bound port: answers, errors, and idempotency. */
class LedgerApiTest {

  @TempDir static Path dir;
  static LedgerNode node;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    TestNodes nodes = new TestNodes(dir, 1, 64);
    node = LedgerNode.start(nodes.config(0));
    node.started().get(60, TimeUnit.SECONDS);
    api = new ApiClient(node.httpPort());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anAccountNeverWrittenHasBalanceZero() {
    Answer answer = api.get("/v1/accounts/nobody");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode json = answer.json();
    assertThat(json.get("accountId").asText()).isEqualTo("nobody");
    assertThat(json.get("balance").asLong()).isZero();
    assertThat(json.get("consistency").asText()).isEqualTo("local");
    assertThat(json.get("node").asText()).isEqualTo("ledger-1");
    assertThat(json.get("writers").size()).isZero();
  }

  @Test
  void anAdjustmentIsVisibleWithItsToken() {
    Answer created = api.adjust("alice", "k-alice-1", 120, "welcome bonus");
    assertThat(created.status()).isEqualTo(201);
    JsonNode body = created.json();
    assertThat(body.get("accountId").asText()).isEqualTo("alice");
    assertThat(body.get("points").asLong()).isEqualTo(120);
    assertThat(body.get("adjustmentId").asText()).isNotBlank();
    String token = body.get("token").asText();

    Answer read = api.get("/v1/accounts/alice?after=" + token);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("balance").asLong()).isEqualTo(120);
    assertThat(read.json().get("earned").asLong()).isEqualTo(120);
    String writer = token.substring(0, token.lastIndexOf(':'));
    assertThat(read.json().get("writers").get(writer).get("credited").asLong()).isEqualTo(120);

    Answer debit = api.adjust("alice", "k-alice-2", -20, "correction");
    assertThat(debit.status()).isEqualTo(201);
    Answer after = api.get("/v1/accounts/alice?consistency=majority&after=" + debit.json().get("token").asText());
    assertThat(after.json().get("balance").asLong()).isEqualTo(100);
    assertThat(after.json().get("spent").asLong()).isEqualTo(20);
    assertThat(after.json().get("consistency").asText()).isEqualTo("majority");
  }

  @Test
  void aRetryReplaysTheFirstAnswerAndAppliesNothingTwice() {
    Answer first = api.adjust("bob", "k-bob", 50, "promo");
    Answer again = api.adjust("bob", "k-bob", 50, "promo");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json()).isEqualTo(first.json());
    await().atMost(Duration.ofSeconds(10)).until(() -> api.balance("bob") == 50);

    Answer reused = api.adjust("bob", "k-bob", 51, "promo");
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.error()).isEqualTo("idempotency_key_reused");
  }

  @Test
  void theSameKeyInFlightConcurrentlyHasOneEffect() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> api.adjust("carol", "k-carol", 7, "race")));
      }
      for (Future<Answer> answer : answers) {
        assertThat(answer.get().status()).isEqualTo(201);
      }
    } finally {
      pool.shutdown();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> api.balance("carol") == 7);
    // Still 7 once the publisher has certainly caught up.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> api.balance("carol") == 7);
  }

  @Test
  void badInputGetsAClearErrorAndWritesNothing() {
    assertError(api.adjust("dave", null, 5, "x"), 400, "missing_idempotency_key");
    assertError(api.post("/v1/accounts/dave/adjustments", "k1", "{\"points\":"), 400, "malformed_json");
    assertError(api.post("/v1/accounts/dave/adjustments", "k2", "[1,2]"), 400, "malformed_json");
    assertError(api.post("/v1/accounts/dave/adjustments", "k3", "{\"points\":0,\"reason\":\"x\"}"), 400, "invalid_points");
    assertError(api.post("/v1/accounts/dave/adjustments", "k4", "{\"points\":\"5\",\"reason\":\"x\"}"), 400, "invalid_points");
    assertError(api.post("/v1/accounts/dave/adjustments", "k5", "{\"points\":2.5,\"reason\":\"x\"}"), 400, "invalid_points");
    assertError(api.post("/v1/accounts/dave/adjustments", "k6", "{\"points\":1000000000001,\"reason\":\"x\"}"), 400, "invalid_points");
    assertError(api.post("/v1/accounts/dave/adjustments", "k7", "{\"points\":99999999999999999999999,\"reason\":\"x\"}"), 400, "invalid_points");
    assertError(api.post("/v1/accounts/dave/adjustments", "k8", "{\"points\":5}"), 400, "invalid_reason");
    assertError(api.post("/v1/accounts/dave/adjustments", "k9", "{\"points\":5,\"reason\":\"  \"}"), 400, "invalid_reason");
    assertError(api.post("/v1/accounts/dave/adjustments", "k10", "{\"points\":5,\"reason\":\"x\",\"extra\":1}"), 400, "unknown_field");
    assertError(api.post("/v1/accounts/dave/adjustments", "k11", "{\"points\":5,\"points\":6,\"reason\":\"x\"}"), 400, "malformed_json");
    assertError(api.post("/v1/accounts/bad%20id/adjustments", "k12", "{\"points\":5,\"reason\":\"x\"}"), 400, "invalid_account_id");
    assertError(api.post("/v1/accounts/" + "a".repeat(129) + "/adjustments", "k13", "{\"points\":5,\"reason\":\"x\"}"), 400, "invalid_account_id");
    assertError(api.post("/v1/accounts/dave/adjustments", "x".repeat(256), "{\"points\":5,\"reason\":\"x\"}"), 400, "invalid_idempotency_key");
    assertError(
        api.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/v1/accounts/dave/adjustments"))
                .header("Content-Type", "text/plain")
                .header("Idempotency-Key", "k14")
                .POST(HttpRequest.BodyPublishers.ofString("{\"points\":5,\"reason\":\"x\"}"))),
        415,
        "unsupported_media_type");
    String huge = "{\"points\":5,\"reason\":\"" + "y".repeat(70_000) + "\"}";
    assertError(api.post("/v1/accounts/dave/adjustments", "k15", huge), 413, "payload_too_large");
    assertError(api.get("/v1/accounts/dave?consistency=strong"), 400, "invalid_consistency");
    assertError(api.get("/v1/accounts/dave?after=garbage"), 400, "invalid_token");
    assertError(api.get("/v1/accounts/dave?after=ledger-1@abcdef12:5&timeout=-1"), 400, "invalid_timeout");
    assertError(api.get("/v1/nothing-here"), 404, "not_found");
    assertError(
        api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/v1/accounts/dave")).DELETE()),
        405,
        "method_not_allowed");

    // None of it wrote anything, and the keys it used are still free.
    assertThat(node.rows().row("dave")).isEmpty();
    assertThat(api.adjust("dave", "k3", 5, "now valid").status()).isEqualTo(201);
  }

  @Test
  void aTokenNotYetVisibleTimesOutWith504() {
    String writer = api.get("/v1/node").json().get("writerKey").asText();
    Answer answer = api.get("/v1/accounts/erin?after=" + writer + ":999&timeout=200");
    assertError(answer, 504, "not_yet_visible");
  }

  @Test
  void theNodeTellsItsIdentityAndTheClusterItsMembers() {
    JsonNode self = api.get("/v1/node").json();
    assertThat(self.get("name").asText()).isEqualTo("ledger-1");
    assertThat(self.get("role").asText()).isEqualTo("ledger");
    assertThat(self.get("writerKey").asText()).startsWith("ledger-1@");
    assertThat(self.get("idempotencyScope").asText()).hasSize(32);
    assertThat(self.get("buckets").asInt()).isEqualTo(64);
    assertThat(self.get("ready").asBoolean()).isTrue();
    assertThat(self.get("majorityReachable").asBoolean()).isTrue();
    assertThat(self.get("publishBacklogSeconds").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(self.get("cluster").asText()).isEqualTo("up");
    assertThat(self.get("clusterIncarnation").asInt()).isEqualTo(1);

    JsonNode cluster = api.get("/v1/cluster").json();
    assertThat(cluster.get("members").size()).isEqualTo(1);
    JsonNode member = cluster.get("members").get(0);
    assertThat(member.get("status").asText()).isEqualTo("Up");
    assertThat(member.get("reachable").asBoolean()).isTrue();
    assertThat(member.get("roles").toString()).contains("ledger", "writer-ledger-1");
  }

  @Test
  void healthEndpointsAnswer() {
    assertThat(api.get("/alive").status()).isEqualTo(200);
    assertThat(api.get("/ready").status()).isEqualTo(200);
  }

  private static void assertError(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.error()).as(answer.body()).isEqualTo(code);
    assertThat(answer.json().get("message").asText()).isNotBlank();
  }
}
