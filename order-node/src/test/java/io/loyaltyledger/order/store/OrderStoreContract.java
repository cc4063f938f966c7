package io.loyaltyledger.order.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.ledger.writer.IdempotentResult;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.RejectedCommand;
import io.loyaltyledger.ledger.writer.SqlFailures;
import io.loyaltyledger.ledger.writer.StoredRow;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.ledger.writer.WriterDatabaseException;
import io.loyaltyledger.order.compensation.OrderCancellation;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.intake.OrderIntake;
import io.loyaltyledger.order.intake.PlaceOrder;
import io.loyaltyledger.order.store.OverdraftRecords.Registration;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order service's SQL on a real writer database, run on H2 and (opt-in) on PostgreSQL: the
 * migrations, orders and cancellations, and the guards that keep one open deficit per account
 * and one charge per deficit when transactions race.
 */
abstract class OrderStoreContract {

  static final int BUCKETS = 64;
  private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

  WriterDatabase db;
  LedgerRows rows;
  OrderIntake intake;
  OrderCancellation cancellation;
  final List<String> clawedBack = new ArrayList<>();

  /** A fresh, empty writer database. */
  abstract WriterDatabase open();

  @BeforeEach
  void openDatabase() {
    db = open();
    OrderSchema.migrate(db.dataSource());
    rows = new LedgerRows(db, new BucketIds(BUCKETS)::bucketOf);
    IdempotentCommands commands = new IdempotentCommands(db, () -> {});
    Clock clock = Clock.fixed(NOW, java.time.ZoneOffset.UTC);
    String writer = db.writerKey().value();
    intake = new OrderIntake(commands, rows, writer, new EarnRule(BigDecimal.ONE), clock);
    cancellation = new OrderCancellation(commands, rows, writer, clock, clawedBack::add);
  }

  @AfterEach
  void closeDatabase() {
    if (db != null) {
      db.close();
    }
  }

  private IdempotentResult place(String key, String orderId, String account, String amount) {
    return intake.place(key, new PlaceOrder(orderId, account, new BigDecimal(amount), "EUR"));
  }

  private long credited(String account) {
    return rows.row(account).map(StoredRow::credited).orElse(0L);
  }

  private long debited(String account) {
    return rows.row(account).map(StoredRow::debited).orElse(0L);
  }

  private long count(String sql) {
    return db.inTransaction(
        tx -> {
          try (var ps = tx.prepareStatement(sql);
              var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private List<String> awaitingCheck() {
    return db.inTransaction(tx -> OrderRecords.accountsAwaitingCheck(tx, 10));
  }

  private void clearCheck(String account, long version) {
    db.inTransaction(
        tx -> {
          OrderRecords.clearCheck(tx, account, version);
          return null;
        });
  }

  private boolean settle(Overdraft overdraft) {
    return db.inTransaction(
        tx -> OverdraftRecords.settle(tx, overdraft.overdraftId(), overdraft.deficit(), NOW));
  }

  @Test
  void redemptionsRacingForOneAccountSpendItsRightsOnceAndACancellationRefunds() throws Exception {
    assertThat(place("k-earn", "o-earn", "rhea", "100.00")).isInstanceOf(IdempotentResult.Executed.class);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> attempts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String id = "o-spend-" + i;
        attempts.add(pool.submit(() -> {
          while (true) {
            try {
              intake.place("k-" + id,
                  new PlaceOrder(id, "rhea", new BigDecimal("0.10"), "EUR", 60));
              return true;
            } catch (RejectedCommand rejected) {
              if (rejected.errorCode().equals("account_busy")) {
                continue; // queued past the deadline, nothing written: retry
              }
              assertThat(rejected.errorCode()).isEqualTo("insufficient_points");
              assertThat(rejected.details()).containsEntry("available", 40L);
              return false;
            }
          }
        }));
      }
      long accepted = 0;
      String taken = null;
      for (int i = 0; i < attempts.size(); i++) {
        if (attempts.get(i).get(30, TimeUnit.SECONDS)) {
          accepted++;
          taken = "o-spend-" + i;
        }
      }
      assertThat(accepted).isEqualTo(1);
      assertThat(debited("rhea")).isEqualTo(60);
      assertThat(count("SELECT COUNT(*) FROM customer_order WHERE points_redeemed > 0")).isEqualTo(1);

      cancellation.cancel("k-cancel", taken);
      assertThat(credited("rhea")).as("earned 100, refunded 60").isEqualTo(160);
      assertThat(count("SELECT COUNT(*) FROM customer_order WHERE points_refunded = 60")).isEqualTo(1);
      assertThat(clawedBack).as("a refund is no clawback").doesNotContain("rhea");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void migratingAgainChangesNothing() {
    OrderSchema.migrate(db.dataSource());
    assertThat(count("SELECT COUNT(*) FROM customer_order")).isZero();
  }

  @Test
  void anOrderAndItsCancellationAreStoredWithTheirRowVersions() {
    assertThat(place("k1", "o-1", "alice", "59.90")).isInstanceOf(IdempotentResult.Executed.class);
    Order placed = db.inTransaction(tx -> OrderRecords.find(tx, "o-1")).orElseThrow();
    assertThat(placed.amount()).isEqualByComparingTo("59.90");
    assertThat(placed.status()).isEqualTo(OrderStatus.PLACED);
    assertThat(placed.pointsEarned()).isEqualTo(59);
    assertThat(placed.earnVersion()).contains(1L);
    assertThat(placed.placedAt()).isEqualTo(NOW);
    assertThat(credited("alice")).isEqualTo(59);

    assertThatThrownBy(() -> place("k2", "o-1", "alice", "59.90"))
        .isInstanceOf(RejectedCommand.class)
        .hasFieldOrPropertyWithValue("errorCode", "order_exists");
    // the refused order's credit (written before its INSERT failed) rolled back with it
    assertThat(credited("alice")).isEqualTo(59);
    assertThat(rows.row("alice").orElseThrow().version()).isEqualTo(1);

    assertThat(cancellation.cancel("c1", "o-1")).isInstanceOf(IdempotentResult.Executed.class);
    assertThat(cancellation.cancel("c2", "o-1")).isInstanceOf(IdempotentResult.Executed.class);
    Order cancelled = db.inTransaction(tx -> OrderRecords.find(tx, "o-1")).orElseThrow();
    assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(cancelled.pointsReversed()).contains(59L);
    assertThat(cancelled.reverseVersion()).contains(2L);
    assertThat(debited("alice")).isEqualTo(59);
    assertThat(clawedBack).containsExactly("alice");
    long clawed = db.inTransaction(tx -> OrderRecords.clawedBack(tx, "alice"));
    assertThat(clawed).isEqualTo(59);

    // The cancellation awaits its overdraft check until a check covers its row version.
    assertThat(awaitingCheck()).containsExactly("alice");
    clearCheck("alice", 1);
    assertThat(awaitingCheck()).containsExactly("alice");
    clearCheck("alice", 2);
    assertThat(awaitingCheck()).isEmpty();

    assertThatThrownBy(() -> cancellation.cancel("c3", "o-none"))
        .isInstanceOf(RejectedCommand.class)
        .hasFieldOrPropertyWithValue("errorCode", "order_not_found");
  }

  @Test
  void registeringADeficitOpensOneRecordAndOnlyRaisesIt() {
    var first = db.inTransaction(tx -> OverdraftRecords.register(tx, "bob", 10, NOW, false));
    var lower = db.inTransaction(tx -> OverdraftRecords.register(tx, "bob", 5, NOW, false));
    var higher = db.inTransaction(tx -> OverdraftRecords.register(tx, "bob", 25, NOW, false));
    assertThat(first.what()).isEqualTo(Registration.OPENED);
    assertThat(lower.what()).isEqualTo(Registration.UNCHANGED);
    assertThat(higher.what()).isEqualTo(Registration.RAISED);
    assertThat(higher.overdraft().overdraftId()).isEqualTo(first.overdraft().overdraftId());
    assertThat(higher.overdraft().eventId()).isEqualTo(first.overdraft().eventId());
    assertThat(higher.overdraft().deficit()).isEqualTo(25);
    assertThat(higher.overdraft().since()).isEqualTo(NOW);

    // Once settled, the next deficit is a new record with a new event.
    assertThat(settle(first.overdraft())).as("a stale view of it").isFalse();
    assertThat(settle(higher.overdraft())).isTrue();
    assertThat(settle(higher.overdraft())).isFalse();
    var next = db.inTransaction(tx -> OverdraftRecords.register(tx, "bob", 3, NOW.plusSeconds(60), false));
    assertThat(next.what()).isEqualTo(Registration.OPENED);
    assertThat(next.overdraft().eventId()).isNotEqualTo(first.overdraft().eventId());

    var all = db.inTransaction(tx -> OverdraftRecords.list(tx, Optional.empty(), Optional.of("bob"), 10));
    assertThat(all).extracting(Overdraft::state).containsExactly(OverdraftState.OPEN, OverdraftState.SETTLED);
    var open = db.inTransaction(tx -> OverdraftRecords.list(tx, Optional.of(OverdraftState.OPEN), Optional.empty(), 10));
    assertThat(open).extracting(Overdraft::accountId).containsExactly("bob");
  }

  @Test
  void aDecisionTakenOnADeficitThatWasRaisedMeanwhileChangesNothing() {
    Overdraft seen = db.inTransaction(tx -> OverdraftRecords.register(tx, "erin", 20, NOW, true)).overdraft();
    db.inTransaction(tx -> OverdraftRecords.register(tx, "erin", 30, NOW, true));
    boolean lowered = db.inTransaction(tx -> OverdraftRecords.lower(tx, seen.overdraftId(), 20, 15));
    boolean charged =
        db.inTransaction(
            tx -> OverdraftRecords.markCharged(
                tx, seen.overdraftId(), 20, 15, new BigDecimal("0.15"), "EUR", NOW));
    boolean settled =
        db.inTransaction(tx -> OverdraftRecords.settle(tx, seen.overdraftId(), 20, NOW));
    assertThat(lowered).isFalse();
    assertThat(charged).isFalse();
    assertThat(settled).isFalse();
    Overdraft now = db.inTransaction(tx -> OverdraftRecords.find(tx, seen.overdraftId())).orElseThrow();
    assertThat(now.state()).isEqualTo(OverdraftState.OPEN);
    assertThat(now.deficit()).isEqualTo(30);
  }

  @Test
  void registrationsRacingForOneAccountKeepOneOpenDeficit() throws Exception {
    List<Registration> outcomes =
        race(8, i -> db.inTransaction(tx -> OverdraftRecords.register(tx, "carol", 10 + i, NOW, false)).what());
    assertThat(outcomes).containsOnlyOnce(Registration.OPENED);
    var records = db.inTransaction(tx -> OverdraftRecords.list(tx, Optional.empty(), Optional.of("carol"), 10));
    assertThat(records).hasSize(1);
    assertThat(records.get(0).deficit()).isEqualTo(17);
  }

  @Test
  void chargesRacingForOneDeficitChargeAndCreditItOnce() throws Exception {
    Overdraft open =
        db.inTransaction(tx -> OverdraftRecords.register(tx, "dave", 40, NOW, true)).overdraft();
    CountDownLatch firstHoldsTheRecord = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // The first charge keeps its transaction open a while after taking the record...
      Future<Boolean> first =
          pool.submit(() -> charge(open, () -> {
            firstHoldsTheRecord.countDown();
            sleep(300);
          }));
      firstHoldsTheRecord.await(10, TimeUnit.SECONDS);
      // ...while the second tries the same: it waits for the first, then charges nothing.
      Future<Boolean> second = pool.submit(() -> charge(open, () -> {}));
      assertThat(List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS)))
          .containsExactlyInAnyOrder(true, false);
    } finally {
      pool.shutdown();
    }
    long charges = count("SELECT COUNT(*) FROM overdraft_charge WHERE account_id = 'dave'");
    long chargedPoints = db.inTransaction(tx -> OverdraftRecords.chargedPoints(tx, "dave"));
    assertThat(charges).isEqualTo(1);
    assertThat(chargedPoints).isEqualTo(40);
    assertThat(credited("dave")).isEqualTo(40);
    Overdraft charged = db.inTransaction(tx -> OverdraftRecords.find(tx, open.overdraftId())).orElseThrow();
    assertThat(charged.state()).isEqualTo(OverdraftState.CHARGED);
    assertThat(charged.chargeAmount()).hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("0.40"));
    assertThat(charged.closedAt()).contains(NOW.truncatedTo(ChronoUnit.MICROS));
  }

  /** The charge transaction of the overdraft policy, with a pause before it commits. */
  private boolean charge(Overdraft open, Runnable beforeCommit) {
    try {
      return db.inTransaction(
          tx -> {
            if (!OverdraftRecords.markCharged(
                tx, open.overdraftId(), 40, 40, new BigDecimal("0.40"), "EUR", NOW)) {
              return false;
            }
            long version = rows.add(tx, open.accountId(), 40, 0);
            OverdraftRecords.insertCharge(tx, open, 40, new BigDecimal("0.40"), "EUR", version, NOW);
            beforeCommit.run();
            return true;
          });
    } catch (WriterDatabaseException e) {
      if (SqlFailures.isDuplicateKey(e)) {
        return false; // the charge's primary key stopped a second charge: all of it rolled back
      }
      throw e;
    }
  }

  interface Indexed<T> {
    T run(int index) throws Exception;
  }

  private static <T> List<T> race(int n, Indexed<T> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          go.await();
          return work.run(index);
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
