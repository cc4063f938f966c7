package io.loyaltyledger.order.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltyledger.ledger.jepsen.AdjustmentClients;
import io.loyaltyledger.ledger.jepsen.CounterChecker;
import io.loyaltyledger.ledger.jepsen.Diagnosis;
import io.loyaltyledger.ledger.jepsen.FinalReads;
import io.loyaltyledger.ledger.jepsen.History;
import io.loyaltyledger.ledger.jepsen.Nemesis;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.node.OrderClient;
import io.loyaltyledger.order.node.OrderNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ledger nodes and two order nodes in one JVM (5 actor systems, Artery test mode): orders,
 * redemptions, cancellations and adjustments through random nodes while a nemesis isolates an
 * order node as it takes orders, splits majority from minority and bridges two halves. After the
 * last heal every node converges to the same rows, the checker admits every balance, and on the
 * accounts no forced debit touched (credits and redemptions only) no balance and no writer's
 * rights ended negative: no redemption overdrew, whatever transfers the partitions cut short.
 * Partitions are shorter than failure detection here, so nobody is downed.
 */
class OrderPartitionScenarioTest {

  private static final int BUCKETS = 64;
  private static final Duration FAULT = Duration.ofSeconds(4);
  private static final Duration CALM = Duration.ofSeconds(2);
  private static final int ROUNDS = Integer.getInteger("jepsen.rounds", 1);
  private static final List<String> ACCOUNTS = List.of("mix-0", "mix-1", "mix-2", "mix-3");
  /** Credits and redemptions only: no clawback, no negative adjustment. */
  private static final List<String> SPEND = List.of("spend-0", "spend-1");

  @TempDir Path dir;

  @Test
  void ordersRedemptionsCancellationsAndAdjustmentsUnderPartitionsConvergeExactly() throws Exception {
    long seed = Long.getLong("jepsen.seed", System.nanoTime());
    Random random = new Random(seed);
    TestNodes ledgers = new TestNodes(dir.resolve("ledger"), "ledger", 3, BUCKETS)
        .with("akka.remote.artery.advanced.test-mode", "on");
    TestNodes orders = new TestNodes(dir.resolve("order"), "order", 2, BUCKETS)
        .with("akka.remote.artery.advanced.test-mode", "on");
    List<AutoCloseable> running = new ArrayList<>();
    List<LedgerNode> nodes = new ArrayList<>();
    List<ApiClient> apis = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      List<CompletableFuture<Void>> started = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        LedgerNode node = LedgerNode.start(ledgers.config(i));
        running.add(node);
        nodes.add(node);
        apis.add(new ApiClient(node.httpPort()));
        names.add(ledgers.name(i));
        started.add(node.started());
      }
      List<OrderClient> orderClients = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        OrderNode node = OrderNode.start(orders.configJoining(i, orders.name(i), ledgers));
        running.add(node);
        nodes.add(node.node());
        apis.add(new ApiClient(node.httpPort()));
        names.add(orders.name(i));
        orderClients.add(new OrderClient(node.httpPort()));
        started.add(node.started());
      }
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      EarnRule earn = new EarnRule(new java.math.BigDecimal(
          orders.config(0).getString("loyalty.earn.points-per-unit")));

      // The current cluster system of each node: a node the resolver downed rejoins with a new one.
      Nemesis nemesis = new Nemesis(5, i -> nodes.get(i).system());
      History history = new History();
      long healedAt;
      try (OrderClients orderLoad = new OrderClients(history, ACCOUNTS, SPEND, orderClients,
              names.subList(3, 5), earn, 2, seed);
          AdjustmentClients adjustLoad = new AdjustmentClients(history, ACCOUNTS, SPEND, 3,
              apis::get, names::get, 1, seed)) {
        for (int round = 0; round < ROUNDS; round++) {
          // an isolated order node keeps taking orders into its own database
          nemesis.cycle(3 + random.nextInt(2), List.of(Set.of(0, 1, 3), Set.of(2, 4)), FAULT, CALM,
              () -> {});
        }
        healedAt = System.nanoTime();
      }
      FinalReads.awaitNothingPending(nodes, Duration.ofSeconds(60));
      List<String> accounts = new ArrayList<>(ACCOUNTS);
      accounts.addAll(SPEND);
      FinalReads.Converged finalReads =
          FinalReads.awaitConverged(apis, names, accounts, Duration.ofSeconds(60));
      double convergedSeconds = (System.nanoTime() - healedAt) / 1e9;
      CounterChecker.Result result = CounterChecker.check(history, finalReads.balances());
      CounterChecker.Result noOverdraw = CounterChecker.checkNoOverdraw(history, finalReads.reads());
      System.out.printf(
          "jepsen scenario 'partitions, orders+redemptions+cancellations+adjustments': seed %d,"
              + " operations %s (by kind %s; failed: %s), faults %s, converged %.2f s after the"
              + " last heal;"
              + " no overdraw checked on %s, final balances %s%n",
          seed, history.counts(), history.countsByKind(), history.failures(), nemesis.log(),
          convergedSeconds,
          noOverdraw.allowed().keySet(), finalReads.balances().get(names.get(0)));
      history.unknown().stream().limit(10).forEach(op -> System.out.println("  unknown: " + op));
      if (!result.valid() || !noOverdraw.valid() || Boolean.getBoolean("jepsen.diagnose")) {
        Diagnosis.explain(history, finalReads.balances().get(names.get(0)).keySet(), apis.get(0));
        Diagnosis.compareWithDatabases(nodes, accounts, apis.get(0));
        OrderDiagnosis.crossCheck(history,
            Map.of(names.get(3), nodes.get(3), names.get(4), nodes.get(4)), accounts);
      }
      assertThat(result.errors()).as("seed %d", seed).isEmpty();
      assertThat(noOverdraw.errors()).as("seed %d", seed).isEmpty();
      assertThat(noOverdraw.allowed().keySet()).containsAll(SPEND);
      assertThat(history.ops()).filteredOn(op -> op.kind().equals("order")
          && op.outcome() == History.Outcome.OK).isNotEmpty();
      assertThat(history.ops()).filteredOn(op -> op.kind().equals(CounterChecker.REDEEM)
          && op.outcome() == History.Outcome.OK).isNotEmpty();
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        running.get(i).close();
      }
    }
  }
}
