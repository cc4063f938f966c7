package io.loyaltyledger.order.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ledger node and two order nodes in this JVM. Both order nodes take orders and cancellations
 * for the same accounts at the same time; once the load stops, every node of the cluster reports
 * for every account exactly the points of the acknowledged orders minus the clawbacks of the
 * acknowledged cancellations.
 */
class OrderClusterTest {

  private static final int BUCKETS = 64;
  private static final int THREADS_PER_ORDER_NODE = 2;
  private static final int ORDERS_PER_THREAD = 40;
  private static final List<String> ACCOUNTS = List.of("ana", "bo", "cy", "di");

  @TempDir Path dir;

  @Test
  void ordersAndCancellationsThroughTwoOrderNodesConvergeExactlyOnEveryNode() throws Exception {
    TestNodes ledgers = new TestNodes(dir.resolve("ledger"), "ledger", 1, BUCKETS);
    TestNodes orderNodes = new TestNodes(dir.resolve("order"), "order", 2, BUCKETS);
    List<AutoCloseable> running = new ArrayList<>();
    try {
      LedgerNode ledger = LedgerNode.start(ledgers.config(0));
      running.add(ledger);
      OrderNode order1 = OrderNode.start(orderNodes.configJoining(0, "order-1", ledgers));
      running.add(order1);
      OrderNode order2 = OrderNode.start(orderNodes.configJoining(1, "order-2", ledgers));
      running.add(order2);
      CompletableFuture.allOf(ledger.started(), order1.started(), order2.started())
          .get(90, TimeUnit.SECONDS);

      List<OrderClient> orderClients =
          List.of(new OrderClient(order1.httpPort()), new OrderClient(order2.httpPort()));
      Map<String, Long> expected = placeAndCancelConcurrently(orderClients);

      List<ApiClient> everyNode =
          List.of(
              new ApiClient(ledger.httpPort()),
              orderClients.get(0).api(),
              orderClients.get(1).api());
      awaitConverged(everyNode, expected);
      // Still exact once no publisher has anything left to send: nothing counted twice.
      List<LedgerNode> writers = List.of(ledger, order1.node(), order2.node());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> writers.stream().allMatch(w -> w.rows().pendingCount() == 0));
      awaitConverged(everyNode, expected);

      // Orders live where they were taken: each order node has its own idempotency scope.
      String scope1 = orderClients.get(0).api().get("/v1/node").json().get("idempotencyScope").asText();
      String scope2 = orderClients.get(1).api().get("/v1/node").json().get("idempotencyScope").asText();
      assertThat(scope1).isNotEqualTo(scope2);
      assertThat(orderClients.get(1).order("n0-t0-0").status()).isEqualTo(404);
      assertThat(orderClients.get(0).order("n0-t0-0").status()).isEqualTo(200);
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        running.get(i).close();
      }
    }
  }

  /**
   * Several threads per order node place orders for the shared accounts and cancel about a third
   * of them, some with a retried key. Returns the expected balance of each account.
   */
  private static Map<String, Long> placeAndCancelConcurrently(List<OrderClient> nodes)
      throws Exception {
    Map<String, Long> expected = new ConcurrentHashMap<>();
    ACCOUNTS.forEach(a -> expected.put(a, 0L));
    int threads = nodes.size() * THREADS_PER_ORDER_NODE;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int nodeIndex = t % nodes.size();
        String prefix = "n" + nodeIndex + "-t" + (t / nodes.size());
        OrderClient client = nodes.get(nodeIndex);
        Random random = new Random(t);
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < ORDERS_PER_THREAD; i++) {
                    String orderId = prefix + "-" + i;
                    String account = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
                    String amount = (1 + random.nextInt(300)) + "." + (10 + random.nextInt(90));
                    Answer placed = client.place("place-" + orderId, orderId, account, amount);
                    assertThat(placed.status()).as(placed.body()).isEqualTo(201);
                    if (random.nextInt(5) == 0) {
                      // a client that lost the answer retries: the same answer, no second credit
                      Answer retry = client.place("place-" + orderId, orderId, account, amount);
                      assertThat(retry.replayed()).isTrue();
                    }
                    expected.merge(account, placed.json().get("pointsEarned").asLong(), Long::sum);
                    if (random.nextInt(3) == 0) {
                      Answer cancelled = client.cancel(orderId, "cancel-" + orderId);
                      assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
                      if (random.nextBoolean()) {
                        Answer again = client.cancel(orderId, "cancel-again-" + orderId);
                        assertThat(again.json()).isEqualTo(cancelled.json());
                      }
                      expected.merge(
                          account, -cancelled.json().get("pointsReversed").asLong(), Long::sum);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
    }
    return new TreeMap<>(expected);
  }

  /** Every node reports exactly the expected balances, and the same rows per writer. */
  private static void awaitConverged(List<ApiClient> nodes, Map<String, Long> expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (Map.Entry<String, Long> account : expected.entrySet()) {
                JsonNode first = null;
                for (ApiClient node : nodes) {
                  JsonNode view = node.get("/v1/accounts/" + account.getKey()).json();
                  assertThat(view.get("balance").asLong())
                      .as("balance of %s on %s", account.getKey(), view.get("node").asText())
                      .isEqualTo(account.getValue());
                  if (first == null) {
                    first = view.get("writers");
                  } else {
                    assertThat(view.get("writers")).isEqualTo(first);
                  }
                }
              }
            });
  }
}
