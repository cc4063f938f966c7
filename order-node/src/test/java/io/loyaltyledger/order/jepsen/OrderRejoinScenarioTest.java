package io.loyaltyledger.order.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.jepsen.AdjustmentClients;
import io.loyaltyledger.ledger.jepsen.CounterChecker;
import io.loyaltyledger.ledger.jepsen.Diagnosis;
import io.loyaltyledger.ledger.jepsen.FinalReads;
import io.loyaltyledger.ledger.jepsen.History;
import io.loyaltyledger.ledger.jepsen.Nemesis;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.node.OrderClient;
import io.loyaltyledger.order.node.OrderNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ledger nodes and an order node in one JVM, the order node cut off while it takes orders
 * for longer than the split brain resolver's {@code stable-after}: it is downed and keeps its
 * process, HTTP API and writer — orders, cancellations and redemptions its own rights cover are
 * accepted, a redemption that needs another writer's rights answers {@code 503
 * transfer_unavailable}, reads {@code 503 replica_unavailable} — and once healed it rejoins as a
 * new incarnation and publishes what it took. Every node converges to the same rows and the
 * checker admits every balance.
 */
class OrderRejoinScenarioTest {

  private static final int BUCKETS = 64;
  private static final List<String> ACCOUNTS = List.of("rejoin-0", "rejoin-1", "rejoin-2");
  /** Earned and redeemed by the order node alone while it is downed. */
  private static final String OWN = "rejoin-own";
  /** Downing ~9 s after the cut (see {@link TestNodes#withQuickDowning}). */
  private static final Duration STABLE_AFTER = Duration.ofSeconds(4);

  @TempDir Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void anOrderNodeDownedWhileTakingOrdersKeepsTakingThemAndRejoins() throws Exception {
    long seed = Long.getLong("jepsen.seed", System.nanoTime());
    TestNodes ledgers =
        new TestNodes(dir.resolve("ledger"), "ledger", 3, BUCKETS).withQuickDowning(STABLE_AFTER);
    TestNodes orders =
        new TestNodes(dir.resolve("order"), "order", 1, BUCKETS).withQuickDowning(STABLE_AFTER);
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
      OrderNode orderNode = OrderNode.start(orders.configJoining(0, orders.name(0), ledgers));
      running.add(orderNode);
      LedgerNode order = orderNode.node();
      nodes.add(order);
      apis.add(new ApiClient(orderNode.httpPort()));
      names.add(orders.name(0));
      started.add(orderNode.started());
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(LedgerNode::isClusterReady));
      EarnRule earn = new EarnRule(new BigDecimal(
          orders.config(0).getString("loyalty.earn.points-per-unit")));
      OrderClient orderApi = new OrderClient(orderNode.httpPort());
      ApiClient api = apis.get(3);

      Nemesis nemesis = new Nemesis(4, i -> nodes.get(i).system());
      History history = new History();
      int incarnationBefore = order.clusterIncarnation();
      long cutAt;
      long downedAt;
      long healedAt;
      long readyAt;
      int whileDowned = 0;
      try (OrderClients orderLoad = new OrderClients(history, ACCOUNTS, List.of(orderApi),
              names.subList(3, 4), earn, 2, seed);
          AdjustmentClients adjustLoad = new AdjustmentClients(history, ACCOUNTS, 3, apis::get,
              names::get, 1, seed)) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .until(() -> history.counts().getOrDefault(History.Outcome.OK, 0) >= 20);
        cutAt = System.nanoTime();
        nemesis.isolate(3);
        try {
          await("the order node is downed").atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> "rejoining".equals(api.get("/v1/node").json().path("cluster").asText()));
          downedAt = System.nanoTime();

          // Cut off and downed, it still takes orders, cancellations and redemptions its own
          // rights cover: one commit in its database each.
          for (int i = 0; i < 5; i++) {
            String orderId = "downed-" + seed + "-" + i;
            History.Op op = history.invoke("order", ACCOUNTS.get(i % ACCOUNTS.size()), 12, names.get(3),
                orderId);
            Answer placed = orderApi.place("k-" + orderId, orderId, ACCOUNTS.get(i % ACCOUNTS.size()), "12.50");
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            op.ok();
            whileDowned++;
          }
          History.Op cancel = history.invoke("cancel", ACCOUNTS.get(0), -12, names.get(3),
              "downed-" + seed + "-0");
          Answer cancelled = orderApi.cancel("downed-" + seed + "-0", "c-downed-" + seed + "-0");
          assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
          cancel.ok();
          History.Op earnOwn = history.invoke("order", OWN, 50, names.get(3), "own-" + seed);
          assertThat(orderApi.place("k-own-" + seed, "own-" + seed, OWN, "50.00").status()).isEqualTo(201);
          earnOwn.ok();
          History.Op redeemOwn =
              history.invoke(CounterChecker.REDEEM, OWN, 1 - 20, names.get(3), "redeem-" + seed);
          Answer redeemed = orderApi.redeem("k-redeem-" + seed, "redeem-" + seed, OWN, "1.00", 20);
          assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(201);
          redeemOwn.ok();
          whileDowned += 4;
          // Points this writer holds no rights for: nobody can be asked while it is not a member.
          Answer short1 = orderApi.redeem("k-short-" + seed, "short-" + seed, "rejoin-nobody", "1.00", 30);
          assertThat(short1.status()).as(short1.body()).isEqualTo(503);
          assertThat(short1.error()).isEqualTo("transfer_unavailable");
          assertThat(orderApi.order("short-" + seed).status()).isEqualTo(404);

          Answer read = api.get("/v1/accounts/" + ACCOUNTS.get(0));
          assertThat(read.status()).as(read.body()).isEqualTo(503);
          assertThat(read.error()).isEqualTo("replica_unavailable");
          assertThat(api.get("/ready").status()).isNotEqualTo(200);
          assertThat(api.get("/alive").status()).isEqualTo(200);
        } finally {
          nemesis.heal();
        }
        healedAt = System.nanoTime();
        await("the order node rejoins and is ready").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> {
              JsonNode view = api.get("/v1/node").json();
              return view.path("ready").asBoolean() && "up".equals(view.path("cluster").asText());
            });
        readyAt = System.nanoTime();
      }
      assertThat(order.clusterIncarnation()).isGreaterThan(incarnationBefore);
      List<String> accounts = new ArrayList<>(ACCOUNTS);
      accounts.add(OWN);
      FinalReads.awaitNothingPending(nodes, Duration.ofSeconds(60));
      FinalReads.Converged converged =
          FinalReads.awaitConverged(apis, names, accounts, Duration.ofSeconds(60));
      Map<String, Map<String, Long>> finalReads = converged.balances();
      double convergedSeconds = (System.nanoTime() - healedAt) / 1e9;
      CounterChecker.Result result = CounterChecker.check(history, finalReads);
      CounterChecker.Result noOverdraw = CounterChecker.checkNoOverdraw(history, converged.reads());
      System.out.printf(
          "jepsen scenario 'order node cut off longer than stable-after': seed %d, operations %s"
              + " (by kind %s; %d on the downed order node while it rejoined), faults %s; downed"
              + " %.2f s after the cut, ready again %.2f s and converged %.2f s after the heal"
              + " (incarnation %d -> %d; ledger nodes' incarnations %s)%n",
          seed, history.counts(), history.countsByKind(), whileDowned, nemesis.log(),
          (downedAt - cutAt) / 1e9, (readyAt - healedAt) / 1e9, convergedSeconds, incarnationBefore,
          order.clusterIncarnation(),
          nodes.subList(0, 3).stream().map(LedgerNode::clusterIncarnation).toList());
      history.unknown().stream().limit(10).forEach(op -> System.out.println("  unknown: " + op));
      if (!result.valid() || !noOverdraw.valid() || Boolean.getBoolean("jepsen.diagnose")) {
        Diagnosis.explain(history, finalReads.get(names.get(0)).keySet(), apis.get(0));
        Diagnosis.compareWithDatabases(nodes, accounts, apis.get(0));
        OrderDiagnosis.crossCheck(history, Map.of(names.get(3), order), accounts);
      }
      assertThat(result.errors()).as("seed %d", seed).isEmpty();
      assertThat(noOverdraw.allowed().keySet()).contains(OWN);
      assertThat(noOverdraw.errors()).as("seed %d", seed).isEmpty();
      assertThat(finalReads.get(names.get(0)).get(OWN)).isEqualTo(31L);
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        running.get(i).close();
      }
    }
  }
}
