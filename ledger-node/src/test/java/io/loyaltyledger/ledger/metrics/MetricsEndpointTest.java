package io.loyaltyledger.ledger.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} over a bound port shows the node's figures changing as it works. */
class MetricsEndpointTest {

  @TempDir Path dir;

  @Test
  void requestsPublishingReplicaAndTokenWaitsShowInPrometheusFormat() throws Exception {
    TestNodes nodes = new TestNodes(dir, 1, 16).with("loyalty.metrics.replica-census-interval", "200ms");
    try (LedgerNode node = LedgerNode.start(nodes.config(0))) {
      node.started().get(60, TimeUnit.SECONDS);
      ApiClient api = new ApiClient(node.httpPort());

      ApiClient.Answer adjusted = api.adjust("metrics-alice", "m-1", 25, "metrics");
      assertThat(adjusted.status()).isEqualTo(201);
      String token = adjusted.json().get("token").asText();
      assertThat(api.get("/v1/accounts/metrics-alice?after=" + token).status()).isEqualTo(200);
      assertThat(api.adjust("metrics-alice", "m-2", 0, "zero").status()).isEqualTo(400);

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        String metrics = api.get("/metrics").body();
        assertThat(value(metrics, "loyalty_http_requests_total{method=\"POST\","
            + "route=\"/v1/accounts/{id}/adjustments\",status=\"201\"}")).isEqualTo(1);
        assertThat(value(metrics, "loyalty_http_requests_total{method=\"POST\","
            + "route=\"/v1/accounts/{id}/adjustments\",status=\"400\"}")).isEqualTo(1);
        assertThat(value(metrics, "loyalty_read_token_wait_seconds_count")).isEqualTo(1);
        assertThat(value(metrics, "loyalty_publisher_rows_acknowledged_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "loyalty_publish_round_rows_count")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "loyalty_publisher_pending_rows")).isZero();
        assertThat(value(metrics, "loyalty_replica_accounts")).isEqualTo(1);
        assertThat(value(metrics, "loyalty_replica_bytes")).isPositive();
        assertThat(metrics).contains("jvm_memory_used_bytes");
        // Labels stay bounded: no account id ever becomes a label value.
        assertThat(metrics).doesNotContain("metrics-alice");
      });
    }
  }

  /** The value of the sample named exactly {@code sample} (name and labels as exposed). */
  private static double value(String metrics, String sample) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
    if (!m.find()) {
      throw new AssertionError("no sample " + sample);
    }
    return Double.parseDouble(m.group(1));
  }
}
