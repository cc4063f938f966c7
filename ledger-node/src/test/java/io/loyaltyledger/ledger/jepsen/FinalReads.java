package io.loyaltyledger.ledger.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.LedgerNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The reads a scenario ends with, once every node has converged. */
public final class FinalReads {

  private FinalReads() {}

  /**
   * Waits until no writer has rows pending (committed, not yet acknowledged by a majority): until
   * then every node may agree on rows that lack a writer's last commits.
   */
  public static void awaitNothingPending(List<LedgerNode> writers, Duration atMost) {
    try {
      await("no writer has rows pending").atMost(atMost).pollInterval(Duration.ofMillis(100))
          .until(() -> writers.stream().allMatch(w -> w.rows().pendingCount() == 0));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // What the publishers are doing, for the report.
      for (LedgerNode writer : writers) {
        System.out.printf("%s: %d rows pending, cluster incarnation %d, replica attached %s%n",
            writer.settings().name(), writer.rows().pendingCount(), writer.clusterIncarnation(),
            writer.replica().isAttached());
      }
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        if (thread.getName().startsWith("publisher-") || thread.getName().startsWith("published-marks-")) {
          System.out.println("thread " + thread.getName() + " " + thread.getState());
          for (StackTraceElement frame : stack) {
            System.out.println("    at " + frame);
          }
        }
      });
      throw e;
    }
  }

  /**
   * Polls every node until all report the same rows per writer for every account (stronger than
   * equal balances), then returns each node's balances by node name.
   */
  public static Map<String, Map<String, Long>> awaitSameRowsEverywhere(
      List<ApiClient> nodes, List<String> names, List<String> accounts, Duration atMost) {
    return awaitConverged(nodes, names, accounts, atMost).balances();
  }

  /** What every node reported once all agreed, by node name and account. */
  public record Converged(Map<String, Map<String, Long>> balances,
      Map<String, Map<String, CounterChecker.AccountRead>> reads) {}

  /**
   * As {@link #awaitSameRowsEverywhere}, and returns besides the balances what the overdraw check
   * reads: each node's {@code available} and each writer's {@code rights}.
   */
  public static Converged awaitConverged(
      List<ApiClient> nodes, List<String> names, List<String> accounts, Duration atMost) {
    Map<String, Map<String, Long>> balances = new TreeMap<>();
    Map<String, Map<String, CounterChecker.AccountRead>> reads = new TreeMap<>();
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      balances.clear();
      reads.clear();
      for (String account : accounts) {
        JsonNode first = null;
        for (int i = 0; i < nodes.size(); i++) {
          JsonNode view = nodes.get(i).get("/v1/accounts/" + account).json();
          if (first == null) {
            first = view.get("writers");
          } else {
            assertThat(view.get("writers")).as("%s on %s", account, names.get(i)).isEqualTo(first);
          }
          balances.computeIfAbsent(names.get(i), n -> new TreeMap<>())
              .put(account, view.get("balance").asLong());
          Map<String, Long> rights = new TreeMap<>();
          view.get("writers").fields().forEachRemaining(
              writer -> rights.put(writer.getKey(), writer.getValue().get("rights").asLong()));
          reads.computeIfAbsent(names.get(i), n -> new TreeMap<>())
              .put(account, new CounterChecker.AccountRead(view.get("balance").asLong(),
                  view.get("available").asLong(), rights));
        }
      }
    });
    return new Converged(balances, reads);
  }

  /**
   * For nodes in processes of their own: waits until each reports no rows pending (its {@code
   * loyalty_publisher_pending_rows} gauge at 0).
   */
  public static void awaitNothingPendingOver(List<ApiClient> nodes, Duration atMost) {
    await("no writer has rows pending").atMost(atMost).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> nodes.stream().allMatch(node -> pendingRows(node) == 0));
  }

  private static double pendingRows(ApiClient node) {
    for (String line : node.get("/metrics").body().split("\n")) {
      if (line.startsWith("loyalty_publisher_pending_rows ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new IllegalStateException("no loyalty_publisher_pending_rows in /metrics");
  }
}
