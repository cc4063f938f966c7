package io.loyaltyledger.order.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.NodeProcess;
import io.loyaltyledger.ledger.node.TestNodes;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An order node in its own process, joined to a ledger node in this JVM, is killed with
 * {@code kill -9} under a load of orders and cancellations, then restarted. No acknowledged
 * order or cancellation is lost (their retries are replays), requests whose outcome was unknown
 * are retried, and both nodes end with exactly the expected balance: nothing counted twice.
 */
class OrderCrashTest {

  private static final int CLIENTS = 2;
  private static final int ACKS_BEFORE_KILL = 120;
  private static final String ACCOUNT = "crash";

  @TempDir Path dir;

  /** A request and what the client knows of it. */
  private record Sent(String key, String orderId, String amount, boolean cancel) {}

  @Test
  void noAcknowledgedOrderIsLostAndNoCreditCountsTwiceAfterKillMinus9() throws Exception {
    TestNodes ledgers = new TestNodes(dir.resolve("ledger"), "ledger", 1, NodeProcess.BUCKETS);
    // Closed in reverse: the ledger node leaves first, while the order node can still see it go.
    try (NodeProcess orderNode =
            new NodeProcess(
                    dir, "order", "order-1", OrderNodeMain.class.getName(), ledgers.seedNodes())
                // The restarted node's first join meets its dead incarnation, which the cluster
                // then removes; retry the join soon instead of after the default 10 s.
                .with("akka.cluster.retry-unsuccessful-join-after", "2s");
        LedgerNode ledger = LedgerNode.start(ledgers.config(0))) {
      ledger.started().get(60, TimeUnit.SECONDS);
      orderNode.start();
      OrderClient orders = new OrderClient(orderNode.httpPort());

      Map<Sent, Answer> acknowledged = new ConcurrentHashMap<>();
      List<Sent> unknown = new CopyOnWriteArrayList<>();
      List<Throwable> clientFailures = new CopyOnWriteArrayList<>();
      CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
      CountDownLatch done = new CountDownLatch(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        new Thread(() -> {
          try {
            load(orders, client, acknowledged, unknown, enough, done);
          } catch (RuntimeException | AssertionError e) {
            clientFailures.add(e); // an answer no client expects: its effect is not accounted
          }
        }).start();
      }
      assertThat(enough.await(120, TimeUnit.SECONDS)).isTrue();
      orderNode.kill();
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(clientFailures).as("answers before the kill").isEmpty();

      orderNode.start();
      // Every acknowledged request is in the database: its retry replays the first answer.
      for (Map.Entry<Sent, Answer> ack : acknowledged.entrySet()) {
        Answer retry = send(orders, ack.getKey());
        assertThat(retry.replayed()).as("acknowledged %s was lost", ack.getKey()).isTrue();
        assertThat(retry.status()).isEqualTo(ack.getValue().status());
        assertThat(retry.json()).isEqualTo(ack.getValue().json());
      }
      // Requests cut off by the crash may or may not have committed: retried, they count once.
      long expected = 0;
      for (Sent sent : unknown) {
        Answer retry = send(orders, sent);
        assertThat(retry.status()).as(retry.body()).isIn(200, 201);
        expected += effect(sent, retry);
      }
      for (Map.Entry<Sent, Answer> ack : acknowledged.entrySet()) {
        expected += effect(ack.getKey(), ack.getValue());
      }
      long balance = expected;
      ApiClient ledgerApi = new ApiClient(ledger.httpPort());
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> ledgerApi.balance(ACCOUNT) == balance && orders.balance(ACCOUNT) == balance);
      } catch (ConditionTimeoutException e) {
        orderNode.printLogTail(150);
        throw new AssertionError(String.format(
            "expected %d everywhere; ledger-1 reads %s, order-1 reads %s (%d acknowledged, %d"
                + " unknown)", balance, ledgerApi.get("/v1/accounts/" + ACCOUNT).body(),
            orders.api().get("/v1/accounts/" + ACCOUNT).body(), acknowledged.size(),
            unknown.size()), e);
      }
      assertThat(acknowledged.size()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
    }
  }

  /** Places orders and cancels every third acknowledged one, until the node dies. */
  private static void load(
      OrderClient orders,
      int client,
      Map<Sent, Answer> acknowledged,
      List<Sent> unknown,
      CountDownLatch enough,
      CountDownLatch done) {
    try {
      for (int i = 0; ; i++) {
        String orderId = "c" + client + "-" + i;
        Sent place = new Sent("place-" + orderId, orderId, (1 + i % 50) + ".50", false);
        if (!sendUnlessDead(orders, place, acknowledged, unknown, enough)) {
          return;
        }
        if (i % 3 == 2) {
          Sent cancel = new Sent("cancel-" + orderId, orderId, null, true);
          if (!sendUnlessDead(orders, cancel, acknowledged, unknown, enough)) {
            return;
          }
        }
      }
    } finally {
      done.countDown();
    }
  }

  private static boolean sendUnlessDead(
      OrderClient orders,
      Sent sent,
      Map<Sent, Answer> acknowledged,
      List<Sent> unknown,
      CountDownLatch enough) {
    try {
      Answer answer = send(orders, sent);
      if (answer.status() != (sent.cancel() ? 200 : 201)) {
        throw new AssertionError(sent + " answered " + answer);
      }
      acknowledged.put(sent, answer);
      enough.countDown();
      return true;
    } catch (UncheckedIOException e) {
      // The process died under this request: it may or may not have committed.
      unknown.add(sent);
      return false;
    }
  }

  private static Answer send(OrderClient orders, Sent sent) {
    return sent.cancel()
        ? orders.cancel(sent.orderId(), sent.key())
        : orders.place(sent.key(), sent.orderId(), ACCOUNT, sent.amount());
  }

  /** The points a request moved, from its (first or replayed) answer. */
  private static long effect(Sent sent, Answer answer) {
    return sent.cancel()
        ? -answer.json().get("pointsReversed").asLong()
        : answer.json().get("pointsEarned").asLong();
  }
}
