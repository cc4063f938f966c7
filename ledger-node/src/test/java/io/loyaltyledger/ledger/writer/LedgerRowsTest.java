package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.ledger.crdt.WriterKey;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToIntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerRowsTest {

  @TempDir Path dir;
  private WriterDatabase db;
  private LedgerRows rows;

  @BeforeEach
  void open() {
    db = TestWriters.open(dir);
    rows = new LedgerRows(db, TestWriters.bucketOf());
  }

  @AfterEach
  void close() {
    db.close();
  }

  private long add(String account, long credit, long debit) {
    return db.inTransaction(tx -> rows.add(tx, account, credit, debit));
  }

  @Test
  void everyAddIncrementsTheVersionByExactlyOne() {
    assertThat(add("alice", 100, 0)).isEqualTo(1);
    assertThat(add("alice", 0, 30)).isEqualTo(2);
    assertThat(add("alice", 5, 5)).isEqualTo(3);
    assertThat(add("bob", 7, 0)).isEqualTo(1);

    StoredRow alice = rows.row("alice").orElseThrow();
    assertThat(alice.credited()).isEqualTo(105);
    assertThat(alice.debited()).isEqualTo(35);
    assertThat(alice.version()).isEqualTo(3);
    assertThat(alice.publishedVersion()).isZero();
    assertThat(alice.bucket()).isEqualTo(TestWriters.bucketOf().applyAsInt("alice"));
    assertThat(alice.sent()).isEmpty();
    assertThat(rows.row("nobody")).isEmpty();
  }

  @Test
  void severalAddsInOneTransactionEachGetTheirVersion() {
    List<Long> versions = db.inTransaction(tx -> List.of(
        rows.add(tx, "alice", 1, 0), rows.add(tx, "alice", 1, 0), rows.add(tx, "bob", 1, 0)));
    assertThat(versions).containsExactly(1L, 2L, 1L);
  }

  @Test
  void totalsAboveTwoToTheSixtyTwoAreRefusedAndNothingIsWritten() {
    long limit = LedgerRows.LIMIT;
    add("big", limit - 10, 0);
    assertThatThrownBy(() -> add("big", 11, 0)).isInstanceOf(LedgerLimitExceededException.class)
        .hasMessageContaining("2^62");
    assertThat(rows.row("big").orElseThrow().version()).isEqualTo(1);
    assertThat(rows.row("big").orElseThrow().credited()).isEqualTo(limit - 10);

    assertThat(add("big", 10, 0)).isEqualTo(2);
    assertThatThrownBy(() -> add("fresh", limit + 1, 0))
        .isInstanceOf(LedgerLimitExceededException.class);
    assertThatThrownBy(() -> add("fresh", 0, Long.MAX_VALUE))
        .isInstanceOf(LedgerLimitExceededException.class);
    assertThat(rows.row("fresh")).isEmpty();

    // the refusal inside a larger transaction rolls back the whole transaction
    assertThatThrownBy(() -> db.inTransaction(tx -> {
      rows.add(tx, "other", 5, 0);
      return rows.add(tx, "big", 1, 0);
    })).isInstanceOf(LedgerLimitExceededException.class);
    assertThat(rows.row("other")).isEmpty();
  }

  @Test
  void refusesNegativeOrEmptyChanges() {
    assertThatThrownBy(() -> add("a", -1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> add("a", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> add("x".repeat(129), 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesABucketFunctionThatDisagreesWithTheDatabase() {
    LedgerRows wrong = new LedgerRows(db, account -> TestWriters.BUCKETS);
    assertThatThrownBy(() -> db.inTransaction(tx -> wrong.add(tx, "alice", 1, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside 0..63");
    assertThat(rows.row("alice")).isEmpty();
  }

  @Test
  void pendingRowsComeInBucketThenAccountOrderWithTheirSentMaps() {
    ToIntFunction<String> bucketOf = TestWriters.bucketOf();
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      accounts.add("acct-" + i);
      add("acct-" + i, i + 1, 0);
    }
    WriterKey other = WriterKey.of("order-2", "0badcafe");
    TestWriters.putSent(db, "acct-3", other.value(), 4);

    accounts.sort(Comparator.comparingInt(bucketOf::applyAsInt)
        .thenComparing(Comparator.naturalOrder()));
    List<StoredRow> pending = rows.pending(1000);
    assertThat(pending).extracting(StoredRow::accountId).containsExactlyElementsOf(accounts);
    assertThat(rows.pending(5)).extracting(StoredRow::accountId)
        .containsExactlyElementsOf(accounts.subList(0, 5));
    assertThat(pending).filteredOn(r -> r.accountId().equals("acct-3")).singleElement()
        .satisfies(r -> assertThat(r.sent()).containsExactly(java.util.Map.entry(other, 4L)));
    assertThat(rows.pendingCount()).isEqualTo(20);

    int bucket = bucketOf.applyAsInt("acct-3");
    assertThat(rows.rowsInBucket(bucket)).extracting(StoredRow::accountId)
        .containsExactlyElementsOf(
            accounts.stream().filter(a -> bucketOf.applyAsInt(a) == bucket).toList());
  }

  @Test
  void markPublishedClearsPendingOnlyUpToThePublishedVersion() {
    add("alice", 10, 0);
    StoredRow beingPublished = rows.pending(10).get(0);
    add("alice", 10, 0); // committed while the publish of version 1 was under way

    rows.markPublished(List.of(new PublishedRow("alice", beingPublished.version())));
    StoredRow afterFirst = rows.row("alice").orElseThrow();
    assertThat(afterFirst.publishedVersion()).isEqualTo(1);
    assertThat(afterFirst.pending()).isTrue();
    assertThat(rows.pendingCount()).isEqualTo(1);

    rows.markPublished(List.of(new PublishedRow("alice", 2)));
    assertThat(rows.row("alice").orElseThrow().publishedVersion()).isEqualTo(2);
    assertThat(rows.pendingCount()).isZero();
    assertThat(rows.pending(10)).isEmpty();

    // a late acknowledgement of an older version never moves it back
    rows.markPublished(List.of(new PublishedRow("alice", 1)));
    assertThat(rows.row("alice").orElseThrow().publishedVersion()).isEqualTo(2);
    assertThat(rows.pendingCount()).isZero();

    // nor does a version the row never had
    rows.markPublished(List.of(new PublishedRow("alice", 99), new PublishedRow("ghost", 1)));
    assertThat(rows.row("alice").orElseThrow().publishedVersion()).isEqualTo(2);
  }

  @Test
  void markPublishedHandlesBatchesAndDuplicates() {
    for (int i = 0; i < 50; i++) {
      add("a" + i, 1, 0);
      add("a" + i, 1, 0);
    }
    List<PublishedRow> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(new PublishedRow("a" + i, 1));
      batch.add(new PublishedRow("a" + i, i % 2 == 0 ? 2 : 1));
    }
    Collections.shuffle(batch);
    rows.markPublished(batch);
    assertThat(rows.pendingCount()).isEqualTo(25);
    assertThat(rows.pending(100)).allSatisfy(r -> assertThat(r.publishedVersion()).isEqualTo(1));
  }

  @Test
  void theFirstChangeOfAnEpochCapturesTheHealingBase() {
    add("alice", 10, 1);
    rows.markVerified();
    db.close();
    db = TestWriters.open(dir);
    rows = new LedgerRows(db, TestWriters.bucketOf());
    assertThat(db.epoch()).isEqualTo(2);

    add("alice", 5, 0);
    add("alice", 5, 0);
    assertThat(base("alice")).containsExactly(2L, 10L, 1L, 1L);
  }

  private List<Long> base(String account) {
    return db.inTransaction(tx -> {
      try (PreparedStatement ps = tx.prepareStatement(
          "SELECT epoch, base_credited, base_debited, base_version FROM ledger_row "
              + "WHERE account_id = ?")) {
        ps.setString(1, account);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
      }
    });
  }

  @Test
  void concurrentAddsToOneAccountSumExactlyWithGaplessVersions() throws Exception {
    int threads = 8;
    int addsPerThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<Long>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        start.await();
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < addsPerThread; i++) {
          versions.add(add("hot", thread + 1, i % 3 == 0 ? 1 : 0));
        }
        return versions;
      }));
    }
    start.countDown();
    List<Long> versions = new ArrayList<>();
    for (Future<List<Long>> f : futures) {
      List<Long> own = f.get();
      assertThat(own).isSorted(); // one thread's commits are in its own order
      versions.addAll(own);
    }
    pool.shutdown();

    int total = threads * addsPerThread;
    assertThat(versions).containsExactlyInAnyOrderElementsOf(
        LongStream.rangeClosed(1, total).boxed().toList());
    StoredRow hot = rows.row("hot").orElseThrow();
    long expectedCredit = 0;
    for (int t = 0; t < threads; t++) {
      expectedCredit += (long) (t + 1) * addsPerThread;
    }
    long debitsPerThread = LongStream.range(0, addsPerThread).filter(i -> i % 3 == 0).count();
    assertThat(hot.credited()).isEqualTo(expectedCredit);
    assertThat(hot.debited()).isEqualTo(debitsPerThread * threads);
    assertThat(hot.version()).isEqualTo(total);
  }

  /**
   * A mark of version v racing with the commit of v + 1 must leave the row pending: the publisher
   * finds rows by that flag, and a row wrongly cleared would never reach the replica.
   */
  @Test
  void marksRacingWithCommitsNeverClearAPendingRow() throws Exception {
    add("race", 1, 0);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 300; i++) {
          add("race", 1, 0);
        }
        return null;
      }));
    }
    List<String> inconsistent = new ArrayList<>();
    futures.add(pool.submit(() -> {
      start.await();
      for (int i = 0; i < 600; i++) {
        long seen = rows.row("race").orElseThrow().version();
        rows.markPublished(List.of(new PublishedRow("race", seen)));
        pendingFlag("race").ifPresent(inconsistent::add);
      }
      return null;
    }));
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(rows.row("race").orElseThrow().version()).isEqualTo(601);
    pendingFlag("race").ifPresent(inconsistent::add);
    assertThat(inconsistent).isEmpty();
  }

  /** The row's state when its pending flag disagrees with {@code version > published_version}. */
  private Optional<String> pendingFlag(String account) {
    return db.inTransaction(tx -> {
      try (PreparedStatement ps = tx.prepareStatement(
          "SELECT version, published_version, pending FROM ledger_row WHERE account_id = ?")) {
        ps.setString(1, account);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long version = rs.getLong(1);
          long published = rs.getLong(2);
          boolean pending = rs.getBoolean(3);
          return pending == (version > published) ? Optional.empty()
              : Optional.of("version " + version + ", published " + published + ", pending " + pending);
        }
      }
    });
  }
}
