package io.loyaltyledger.order.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.Address;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.Cluster;
import akka.remote.RARP;
import akka.remote.transport.ThrottlerTransportAdapter;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A redemption on a node cut off from the writer holding the rights (Artery's test mode drops
 * every message between order-1 and order-2): it answers 503 within the deadline, writes nothing,
 * and succeeds once the network heals.
 */
class RedemptionPartitionTest {

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        // keep closing the others
      }
    }
  }

  @Test
  void aRedemptionCutOffFromItsDonorAnswersWithinTheDeadlineAndSucceedsAfterHealing()
      throws Exception {
    TestNodes ledgers = new TestNodes(dir.resolve("ledger"), "ledger", 1, 64)
        .with("akka.remote.artery.advanced.test-mode", "on");
    TestNodes orders = new TestNodes(dir.resolve("order"), "order", 2, 64)
        .with("akka.remote.artery.advanced.test-mode", "on");
    LedgerNode ledger = LedgerNode.start(ledgers.config(0));
    running.add(ledger);
    OrderNode order1 = OrderNode.start(orders.configJoining(0, "order-1", ledgers));
    running.add(order1);
    OrderNode order2 = OrderNode.start(orders.configJoining(1, "order-2", ledgers));
    running.add(order2);
    CompletableFuture.allOf(ledger.started(), order1.started(), order2.started())
        .get(90, TimeUnit.SECONDS);
    OrderClient client1 = new OrderClient(order1.httpPort());
    OrderClient client2 = new OrderClient(order2.httpPort());

    assertThat(client1.place("earn", "earn", "pia", "100.00").status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(20)).until(() -> client2.balance("pia") == 100);
    // order-1's transfer service is listed at order-2 (a redemption went through)
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> client2.redeem("warm", "warm", "pia", "0.10", 1).status() == 201);

    blackhole(order1, order2, ThrottlerTransportAdapter.blackholeThrottleMode());
    long started = System.nanoTime();
    Answer cut = client2.redeem("cut", "cut", "pia", "0.10", 30);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(cut.status()).as(cut.body()).isEqualTo(503);
    assertThat(cut.error()).isEqualTo("transfer_unavailable");
    assertThat(cut.json().get("balance").asLong()).isEqualTo(99);
    assertThat(took).as("answered within the 1 s deadline and a margin")
        .isLessThan(Duration.ofSeconds(4));
    assertThat(client2.order("cut").status()).isEqualTo(404);

    blackhole(order1, order2, ThrottlerTransportAdapter.unthrottledThrottleMode());
    // the same key, retried after healing: now the transfer goes through
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> client2.redeem("cut", "cut", "pia", "0.10", 30).status() == 201);
    await().atMost(Duration.ofSeconds(20)).until(() -> client1.balance("pia") == 69);
  }

  /** Sets the throttle between the two nodes, on both sides, both directions. */
  private static void blackhole(OrderNode a, OrderNode b, ThrottlerTransportAdapter.ThrottleMode mode)
      throws Exception {
    Address addressA = Cluster.get(a.node().system()).selfMember().address();
    Address addressB = Cluster.get(b.node().system()).selfMember().address();
    set(a, addressB, mode);
    set(b, addressA, mode);
  }

  private static void set(OrderNode node, Address peer, ThrottlerTransportAdapter.ThrottleMode mode)
      throws Exception {
    akka.actor.ActorSystem classic = Adapter.toClassic(node.node().system());
    scala.concurrent.Future<Object> done =
        ((RARP) RARP.get(classic)).provider().transport().managementCommand(
            new ThrottlerTransportAdapter.SetThrottle(
                peer, ThrottlerTransportAdapter.bothDirection(), mode));
    scala.concurrent.Await.result(done, scala.concurrent.duration.Duration.create(5, "s"));
  }
}
