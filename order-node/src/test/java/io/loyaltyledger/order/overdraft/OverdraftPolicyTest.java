package io.loyaltyledger.order.overdraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.order.compensation.OrderCancellation;
import io.loyaltyledger.order.node.MutableClock;
import io.loyaltyledger.order.node.OrderClient;
import io.loyaltyledger.order.node.OrderDatabase;
import io.loyaltyledger.order.node.OrderNode;
import io.loyaltyledger.order.overdraft.WebhookReceiver.Call;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overdraft policy on one order node, with a clock the test moves and a real webhook
 * receiver. Each test overdraws its own account: an order earns points, an administrative debit
 * spends some, and the cancellation's clawback drives the balance below zero.
 */
class OverdraftPolicyTest {

  private static final Duration GRACE = Duration.ofDays(7);

  @TempDir static Path dir;
  static WebhookReceiver webhook;
  static MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  static OrderNode node;
  static OrderClient orders;
  static OrderDatabase db;

  @BeforeAll
  static void start() throws Exception {
    webhook = new WebhookReceiver();
    TestNodes nodes =
        new TestNodes(dir, "order", 1, 64)
            .with("loyalty.overdraft.webhook-url", webhook.url())
            .with("loyalty.overdraft.webhook-backoff", "100ms")
            // the test runs every sweep itself
            .with("loyalty.overdraft.check-interval", "1h");
    node = OrderNode.start(nodes.config(0), clock);
    node.started().get(60, TimeUnit.SECONDS);
    orders = new OrderClient(node.httpPort());
    db = new OrderDatabase(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    webhook.close();
  }

  /** Order of 50 points, debit of {@code spent}, cancellation: the balance ends at −spent. */
  private static void overdraw(String account, long spent) {
    assertThat(orders.place("k-" + account, "o-" + account, account, "50.00").status()).isEqualTo(201);
    assertThat(orders.api().adjust(account, "spend-" + account, -spent, "redeemed").status()).isEqualTo(201);
    assertThat(orders.cancel("o-" + account, "cancel-" + account).status()).isEqualTo(200);
  }

  private static JsonNode awaitOverdraft(String account, String state) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode list = orders.overdrafts(account).json().get("overdrafts");
              if (list.size() == 1 && list.get(0).get("state").asText().equals(state)) {
                found[0] = list.get(0);
                return true;
              }
              return false;
            });
    return found[0];
  }

  @Test
  void aClawbackThatOverdrawsOpensADeficitAndNotifiesOnce() throws Exception {
    overdraw("ann", 40);
    JsonNode open = awaitOverdraft("ann", "OPEN");
    assertThat(open.get("deficit").asLong()).isEqualTo(40);
    assertThat(open.get("since").asText()).isEqualTo(clock.instant().toString());
    String eventId = open.get("eventId").asText();

    await().atMost(Duration.ofSeconds(10)).until(() -> !webhook.callsFor("ann").isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> awaitOverdraft("ann", "OPEN").get("notified").asBoolean());
    node.overdrafts().sweep();
    // A notified deficit is not sent again, however long one waits.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> webhook.callsFor("ann").size() == 1);
    List<Call> calls = webhook.callsFor("ann");
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).idempotencyKey()).isEqualTo(eventId);
    assertThat(calls.get(0).body().get("eventId").asText()).isEqualTo(eventId);
    assertThat(calls.get(0).body().get("type").asText()).isEqualTo("overdraft.opened");
    assertThat(calls.get(0).body().get("deficit").asLong()).isEqualTo(40);
    assertThat(calls.get(0).body().get("writer").asText()).startsWith("order-1@");
    await().atMost(Duration.ofSeconds(10)).until(() -> orders.balance("ann") == -40);
  }

  @Test
  void aReceiverThatFailsGetsTheSameEventAgainUntilItAccepts() {
    webhook.failNext(2);
    overdraw("ben", 10);
    JsonNode open = awaitOverdraft("ben", "OPEN");
    await().atMost(Duration.ofSeconds(10)).until(() -> webhook.callsFor("ben").size() == 3);
    List<Call> calls = webhook.callsFor("ben");
    assertThat(calls).extracting(Call::answeredWith).containsExactly(503, 503, 204);
    assertThat(calls).extracting(Call::idempotencyKey).containsOnly(open.get("eventId").asText());
    JsonNode notified = awaitOverdraft("ben", "OPEN");
    await().atMost(Duration.ofSeconds(5)).until(() -> awaitOverdraft("ben", "OPEN").get("notified").asBoolean());
    assertThat(awaitOverdraft("ben", "OPEN").get("notifyAttempts").asInt()).isEqualTo(3);
    assertThat(notified.get("eventId").asText()).isEqualTo(open.get("eventId").asText());
  }

  @Test
  void theWriterRegistersOnlyTheDeficitItsOwnClawbacksCaused() {
    // A debit alone is not a clawback: no deficit of this writer's making.
    assertThat(orders.api().adjust("cleo", "cleo-debit", -30, "redeemed").status()).isEqualTo(201);
    node.overdrafts().check("cleo");
    assertThat(orders.overdrafts("cleo").json().get("overdrafts").size()).isZero();

    // Order of 10, debit of 100 (balance −90), cancellation (−100): this writer's clawback caused 10.
    assertThat(orders.place("k-dan", "o-dan", "dan", "10.00").status()).isEqualTo(201);
    assertThat(orders.api().adjust("dan", "dan-debit", -100, "redeemed").status()).isEqualTo(201);
    assertThat(orders.cancel("o-dan", "cancel-dan").status()).isEqualTo(200);
    assertThat(awaitOverdraft("dan", "OPEN").get("deficit").asLong()).isEqualTo(10);
    await().atMost(Duration.ofSeconds(10)).until(() -> orders.balance("dan") == -100);
  }

  @Test
  void aSecondClawbackRaisesTheOpenDeficit() {
    overdraw("eve", 20);
    assertThat(awaitOverdraft("eve", "OPEN").get("deficit").asLong()).isEqualTo(20);
    assertThat(orders.place("k-eve-2", "o-eve-2", "eve", "15.00").status()).isEqualTo(201);
    assertThat(orders.api().adjust("eve", "spend-eve-2", -15, "redeemed").status()).isEqualTo(201);
    assertThat(orders.cancel("o-eve-2", "cancel-eve-2").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> awaitOverdraft("eve", "OPEN").get("deficit").asLong() == 35);
    assertThat(webhook.callsFor("eve")).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void aBalanceBackAtZeroSettlesTheDeficit() {
    overdraw("fay", 25);
    awaitOverdraft("fay", "OPEN");
    node.overdrafts().sweep();
    assertThat(awaitOverdraft("fay", "OPEN").get("deficit").asLong()).isEqualTo(25);

    assertThat(orders.api().adjust("fay", "fay-refill", 25, "goodwill").status()).isEqualTo(201);
    node.overdrafts().sweep();
    JsonNode settled = awaitOverdraft("fay", "SETTLED");
    assertThat(settled.get("closedAt").asText()).isNotBlank();
    assertThat(settled.get("chargeAmount").isNull()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> orders.balance("fay") == 0);
  }

  @Test
  void afterTheGracePeriodTheDeficitIsChargedOnceEvenWhenSweepsRunConcurrently() throws Exception {
    overdraw("gil", 40);
    awaitOverdraft("gil", "OPEN");
    long creditedBefore = db.credited("gil");

    clock.advance(GRACE.minusMinutes(1));
    node.overdrafts().sweep();
    assertThat(awaitOverdraft("gil", "OPEN").get("deficit").asLong()).isEqualTo(40);

    clock.advance(Duration.ofMinutes(1));
    sweepConcurrently(4);
    node.overdrafts().sweep();
    node.overdrafts().sweep();

    JsonNode charged = awaitOverdraft("gil", "CHARGED");
    assertThat(charged.get("deficit").asLong()).isEqualTo(40);
    assertThat(charged.get("chargeAmount").asText()).isEqualTo("0.40");
    assertThat(charged.get("chargeCurrency").asText()).isEqualTo("EUR");
    assertThat(db.credited("gil") - creditedBefore).isEqualTo(40);
    assertThat(db.count("overdraft_charge")).isGreaterThanOrEqualTo(1);
    assertThat(chargesOf("gil")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> orders.balance("gil") == 0);
  }

  @Test
  void aDeficitPartlyEarnedBackIsLoweredAndOnlyTheRestIsCharged() {
    overdraw("hans", 30);
    awaitOverdraft("hans", "OPEN");
    assertThat(orders.api().adjust("hans", "hans-partial", 12, "goodwill").status()).isEqualTo(201);
    node.overdrafts().sweep();
    assertThat(awaitOverdraft("hans", "OPEN").get("deficit").asLong()).isEqualTo(18);

    clock.advance(GRACE);
    node.overdrafts().sweep();
    JsonNode charged = awaitOverdraft("hans", "CHARGED");
    assertThat(charged.get("deficit").asLong()).isEqualTo(18);
    assertThat(charged.get("chargeAmount").asText()).isEqualTo("0.18");
    await().atMost(Duration.ofSeconds(10)).until(() -> orders.balance("hans") == 0);
  }

  @Test
  void aCancellationWhoseCheckNeverRanIsCheckedByTheSweep() {
    assertThat(orders.place("k-ida", "o-ida", "ida", "50.00").status()).isEqualTo(201);
    assertThat(orders.api().adjust("ida", "spend-ida", -45, "redeemed").status()).isEqualTo(201);
    // A cancellation whose process died before its overdraft check ran: only its flag says so.
    var ledger = node.node();
    OrderCancellation crashed =
        new OrderCancellation(
            new IdempotentCommands(ledger.database(), ledger.publisher()::nudge),
            ledger.rows(),
            ledger.database().writerKey().value(),
            clock,
            account -> {});
    crashed.cancel("cancel-ida", "o-ida");
    assertThat(orders.overdrafts("ida").json().get("overdrafts").size()).isZero();

    SweepReport report = node.overdrafts().sweep();
    assertThat(report.checked()).isGreaterThanOrEqualTo(1);
    assertThat(awaitOverdraft("ida", "OPEN").get("deficit").asLong()).isEqualTo(45);
    // checked once: a later sweep finds nothing left to check for it
    assertThat(node.overdrafts().sweep().checked()).isZero();
  }

  private static long chargesOf(String account) {
    return node.node()
        .database()
        .inTransaction(
            tx -> {
              try (var ps =
                      tx.prepareStatement("SELECT COUNT(*) FROM overdraft_charge WHERE account_id = ?")) {
                ps.setString(1, account);
                try (var rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getLong(1);
                }
              }
            });
  }

  private static void sweepConcurrently(int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<SweepReport>> sweeps = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        sweeps.add(
            pool.submit(
                () -> {
                  go.await();
                  return node.overdrafts().sweep();
                }));
      }
      go.countDown();
      for (Future<SweepReport> sweep : sweeps) {
        sweep.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
    }
  }
}
