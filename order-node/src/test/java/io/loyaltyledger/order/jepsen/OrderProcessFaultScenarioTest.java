package io.loyaltyledger.order.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltyledger.ledger.jepsen.AdjustmentClients;
import io.loyaltyledger.ledger.jepsen.CounterChecker;
import io.loyaltyledger.ledger.jepsen.Diagnosis;
import io.loyaltyledger.ledger.jepsen.FinalReads;
import io.loyaltyledger.ledger.jepsen.History;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.NodeProcess;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.node.OrderClient;
import io.loyaltyledger.order.node.OrderNodeMain;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ledger nodes in this JVM and an order node in a JVM of its own (as {@code bin/cluster}
 * runs it), which is killed with {@code kill -9} while clients place orders, redemptions and
 * cancellations through it (and adjust through the ledger nodes), then restarted on the same
 * database while the clients go on. Afterwards every request whose outcome the crash left unknown
 * is sent again with its Idempotency-Key — a replay if it had committed, a first execution if not
 * — so that no outcome stays unknown and the checker is exact: every acknowledged operation
 * counts exactly once, every node converges to the same rows, and no redemption overdrew.
 * {@code -Djepsen.rounds=N} kills and restarts the order node N times.
 */
class OrderProcessFaultScenarioTest {

  private static final int ROUNDS = Integer.getInteger("jepsen.rounds", 1);
  /** Operations the order node acknowledges before each kill, and after each restart. */
  private static final int ACKS = 40;
  private static final List<String> ACCOUNTS = List.of("crash-0", "crash-1");
  /** Credits and redemptions only: no clawback, no negative adjustment. */
  private static final List<String> SPEND = List.of("crash-spend-0", "crash-spend-1");

  @TempDir Path dir;

  @Test
  // ~90 s on a quiet 2-core box; a JVM starting at nice 19 on a box loaded by others took minutes
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  void anOrderNodeKilledUnderLoadAndRestartedLosesNothingAndCountsNothingTwice() throws Exception {
    long seed = Long.getLong("jepsen.seed", System.nanoTime());
    long began = System.nanoTime();
    TestNodes ledgers = new TestNodes(dir.resolve("ledger"), "ledger", 3, NodeProcess.BUCKETS);
    List<LedgerNode> ledgerNodes = new ArrayList<>();
    List<ApiClient> apis = new ArrayList<>();
    List<String> names = new ArrayList<>();
    NodeProcess orderNode =
        new NodeProcess(dir, "order", "order-1", OrderNodeMain.class.getName(), ledgers.seedNodes())
            // The restarted node's first join meets its dead incarnation, which the cluster then
            // removes; retry the join soon instead of after the default 10 s.
            .with("akka.cluster.retry-unsuccessful-join-after", "2s");
    try {
      // The order process joins the ledger nodes as they come up: both start at once.
      CompletableFuture<NodeProcess> orderStarted = CompletableFuture.supplyAsync(orderNode::start);
      List<CompletableFuture<Void>> started = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        LedgerNode node = LedgerNode.start(ledgers.config(i));
        ledgerNodes.add(node);
        apis.add(new ApiClient(node.httpPort()));
        names.add(ledgers.name(i));
        started.add(node.started());
      }
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      orderStarted.get(200, TimeUnit.SECONDS); // NodeProcess.start gives up after 180 s itself
      apis.add(new ApiClient(orderNode.httpPort()));
      names.add("order-1");
      // the earn rule of config/order-node.conf, which the process runs with
      EarnRule earn = new EarnRule(new BigDecimal(new TestNodes(dir, "order", 1, NodeProcess.BUCKETS)
          .config(0).getString("loyalty.earn.points-per-unit")));
      OrderClient orders = new OrderClient(orderNode.httpPort());

      History history = new History();
      List<String> faults = new ArrayList<>();
      List<Double> restartSeconds = new ArrayList<>();
      long restartedAt;
      long loadStoppedAt;
      int resolved;
      try (OrderClients orderLoad = new OrderClients(history, ACCOUNTS, SPEND, List.of(orders),
              List.of("order-1"), earn, 3, seed);
          AdjustmentClients adjustLoad = new AdjustmentClients(history, ACCOUNTS, SPEND, 3,
              apis::get, names::get, 1, seed)) {
        restartedAt = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
          awaitAcknowledgedOnOrderNode(history, ACKS);
          orderNode.kill();
          long killedAt = System.nanoTime();
          faults.add("kill -9 order-1 after " + okOnOrderNode(history) + " acknowledged there");
          orderNode.start(); // the same database; ready once reconciled
          restartedAt = System.nanoTime();
          restartSeconds.add((restartedAt - killedAt) / 1e9);
          faults.add("restart order-1");
          awaitAcknowledgedOnOrderNode(history, ACKS);
        }
        // The load goes on on the ledger nodes a little longer than on the order node: no matter.
        orderLoad.close();
        loadStoppedAt = System.nanoTime();
        // Unknown outcomes (requests cut by the kill) resolved by the same request, same key.
        resolved = orderLoad.retryUnknown();
      }
      history.ops().stream().filter(History.Op::resolved).limit(10)
          .forEach(op -> System.out.println("  resolved by a retry: " + op));
      history.unknown().forEach(op -> System.out.println("  unknown: " + op));
      assertThat(history.counts()).as("no outcome stays unknown").doesNotContainKeys(
          History.Outcome.UNKNOWN, History.Outcome.PENDING);

      List<String> accounts = new ArrayList<>(ACCOUNTS);
      accounts.addAll(SPEND);
      FinalReads.awaitNothingPending(ledgerNodes, Duration.ofSeconds(60));
      FinalReads.awaitNothingPendingOver(apis.subList(3, 4), Duration.ofSeconds(60));
      FinalReads.Converged finalReads =
          FinalReads.awaitConverged(apis, names, accounts, Duration.ofSeconds(60));
      long convergedAt = System.nanoTime();
      CounterChecker.Result result = CounterChecker.check(history, finalReads.balances());
      CounterChecker.Result noOverdraw = CounterChecker.checkNoOverdraw(history, finalReads.reads());
      System.out.printf(
          "jepsen scenario 'order node kill -9 under load and restart': seed %d, operations %s"
              + " (by kind %s; failed: %s; %d unknown after the kill resolved by a retry with their"
              + " key),"
              + " faults %s, order node ready again %s s after each kill, converged %.2f s after"
              + " the last restart (%.2f s after the load stopped); test %.0f s in all;"
              + " final balances %s%n",
          seed, history.counts(), history.countsByKind(), history.failures(), resolved, faults,
          restartSeconds.stream().map(t -> String.format("%.1f", t)).toList(),
          (convergedAt - restartedAt) / 1e9, (convergedAt - loadStoppedAt) / 1e9,
          (convergedAt - began) / 1e9, finalReads.balances().get("order-1"));
      if (!result.valid() || !noOverdraw.valid()) {
        Diagnosis.explain(history, finalReads.balances().get(names.get(0)).keySet(), apis.get(0));
      }
      assertThat(result.errors()).as("seed %d", seed).isEmpty();
      assertThat(noOverdraw.errors()).as("seed %d", seed).isEmpty();
      assertThat(noOverdraw.allowed().keySet()).containsAll(SPEND);
      assertThat(history.ops()).filteredOn(op -> op.kind().equals(CounterChecker.REDEEM)
          && op.outcome() == History.Outcome.OK).isNotEmpty();
    } finally {
      orderNode.close();
      for (int i = ledgerNodes.size() - 1; i >= 0; i--) {
        ledgerNodes.get(i).close();
      }
    }
  }

  private static long okOnOrderNode(History history) {
    return history.ops().stream()
        .filter(op -> op.node().equals("order-1") && op.outcome() == History.Outcome.OK)
        .count();
  }

  /** Waits until the order node has acknowledged {@code more} operations more than now. */
  private static void awaitAcknowledgedOnOrderNode(History history, int more) {
    long target = okOnOrderNode(history) + more;
    await("the order node acknowledges " + more + " more operations")
        .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
        .until(() -> okOnOrderNode(history) >= target);
  }
}
