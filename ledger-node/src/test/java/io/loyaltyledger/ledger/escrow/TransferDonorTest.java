package io.loyaltyledger.ledger.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.StoredRow;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.ledger.writer.WriterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The donor's transaction on a real H2 writer database, without the cluster around it. */
class TransferDonorTest {

  private static final WriterKey REQUESTER = WriterKey.of("order-2", "0badc0de");
  private static final WriterKey THIRD = WriterKey.of("order-3", "12345678");

  @TempDir Path dir;
  private WriterDatabase db;
  private LedgerRows rows;
  private final Map<String, Account> replica = new ConcurrentHashMap<>();
  private final AtomicInteger nudges = new AtomicInteger();
  private TransferDonor donor;

  @BeforeEach
  void open() {
    db = WriterDatabase.open(WriterSettings.h2File("ledger-1", dir.resolve("writer")), 64);
    rows = new LedgerRows(db, new BucketIds(64)::bucketOf);
    rows.markVerified();
    ReplicaAccounts accounts = new ReplicaAccounts() {
      @Override
      public Account read(String accountId) {
        return replica.getOrDefault(accountId, Account.EMPTY);
      }

      @Override
      public void adopt(String accountId, WriterKey writer, Row row) {
        replica.merge(accountId, Account.EMPTY.withRow(writer, row), Account::merge);
      }
    };
    OwnRights rights = new OwnRights(rows, accounts, db.writerKey());
    donor = new TransferDonor(db, rows, rights, new StripedLocks(16), nudges::incrementAndGet,
        Duration.ofSeconds(5));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void credit(String account, long points) {
    db.inTransaction(tx -> rows.add(tx, account, points, 0));
  }

  private TransferMessage.Reply ask(String id, String account, long amount) {
    return donor.give(new TransferMessage.Request(id, account, REQUESTER, amount, null));
  }

  @Test
  void aTransferRaisesSentOnceAndARetryWithItsIdReplaysIt() {
    credit("ann", 100);
    TransferMessage.Reply first = ask("t-1", "ann", 30);
    assertThat(first.given()).isEqualTo(30);
    assertThat(first.row().sent(REQUESTER)).isEqualTo(30);
    assertThat(first.donor()).isEqualTo(db.writerKey());
    assertThat(nudges.get()).as("the publisher is nudged").isEqualTo(1);

    TransferMessage.Reply replay = ask("t-1", "ann", 30);
    assertThat(replay.given()).isEqualTo(30);
    assertThat(replay.row()).as("a lost reply never moves rights twice").isEqualTo(first.row());
    assertThat(nudges.get()).isEqualTo(1);

    StoredRow row = rows.row("ann").orElseThrow();
    assertThat(row.sent()).isEqualTo(Map.of(REQUESTER, 30L));
    assertThat(row.pending()).isTrue();
  }

  @Test
  void aDonorGivesAtMostItsRights() {
    credit("bo", 50);
    db.inTransaction(tx -> rows.add(tx, "bo", 0, 10));
    assertThat(ask("t-1", "bo", 100).given()).isEqualTo(40);
    TransferMessage.Reply empty = ask("t-2", "bo", 1);
    assertThat(empty.given()).isZero();
    assertThat(empty.refusal()).isNotNull();
    assertThat(rows.row("bo").orElseThrow().sent()).isEqualTo(Map.of(REQUESTER, 40L));
  }

  @Test
  void rightsReceivedFromAThirdWriterCanBePassedOnWithoutARowOfItsOwn() {
    TreeMap<WriterKey, Long> sent = new TreeMap<>(Map.of(db.writerKey(), 20L));
    replica.put("cy", Account.EMPTY.withRow(THIRD, Row.of(20, 0, 1, sent)));
    assertThat(rows.row("cy")).isEmpty();
    TransferMessage.Reply reply = ask("t-1", "cy", 25);
    assertThat(reply.given()).isEqualTo(20);
    StoredRow row = rows.row("cy").orElseThrow();
    assertThat(row.credited()).isZero();
    assertThat(row.sent()).isEqualTo(Map.of(REQUESTER, 20L));
  }

  @Test
  void anUnverifiedWriterGivesNothing() {
    credit("di", 10);
    db.close();
    db = WriterDatabase.open(WriterSettings.h2File("ledger-1", dir.resolve("writer")), 64);
    rows = new LedgerRows(db, new BucketIds(64)::bucketOf);
    OwnRights rights = new OwnRights(rows, ReplicaAccounts.NONE, db.writerKey());
    donor = new TransferDonor(db, rows, rights, new StripedLocks(16), () -> {}, Duration.ofSeconds(5));
    TransferMessage.Reply reply = ask("t-1", "di", 5);
    assertThat(reply.given()).isZero();
    assertThat(reply.refusal()).contains("verified");
  }

  @Test
  void concurrentRequestsNeverGiveMoreThanTheRights() throws Exception {
    credit("eve", 100);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> given = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = "t-" + (i % 10); // every id asked twice, concurrently
        given.add(pool.submit(() -> ask(id, "eve", 15).given()));
      }
      Map<String, Long> byId = new TreeMap<>();
      for (int i = 0; i < 20; i++) {
        long g = given.get(i).get(30, TimeUnit.SECONDS);
        Long before = byId.putIfAbsent("t-" + (i % 10), g);
        if (before != null) {
          assertThat(g).as("both asks of one id get the same answer").isEqualTo(before);
        }
      }
      long total = byId.values().stream().mapToLong(Long::longValue).sum();
      assertThat(total).isEqualTo(100);
      assertThat(rows.row("eve").orElseThrow().sent()).isEqualTo(Map.of(REQUESTER, 100L));
    } finally {
      pool.shutdownNow();
    }
  }
}
