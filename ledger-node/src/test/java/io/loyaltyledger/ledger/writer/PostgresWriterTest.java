package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.writer.IdempotentResult.Executed;
import io.loyaltyledger.ledger.writer.IdempotentResult.KeyReused;
import io.loyaltyledger.ledger.writer.IdempotentResult.Replayed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same SQL on PostgreSQL. Opt-in, as CI has no PostgreSQL: set LEDGER_TEST_POSTGRES_URL (e.g.
 * jdbc:postgresql://127.0.0.1:5432/postgres) and, if needed, LEDGER_TEST_POSTGRES_USER and
 * LEDGER_TEST_POSTGRES_PASSWORD. Each test works in a fresh schema.
 */
@EnabledIfEnvironmentVariable(named = "LEDGER_TEST_POSTGRES_URL", matches = ".+")
class PostgresWriterTest {

  private static final String URL = System.getenv("LEDGER_TEST_POSTGRES_URL");
  private static final String USER = envOr("LEDGER_TEST_POSTGRES_USER", "postgres");
  private static final String PASSWORD = envOr("LEDGER_TEST_POSTGRES_PASSWORD", "");

  private String schema;
  private WriterSettings settings;

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }

  @BeforeEach
  void createSchema() throws Exception {
    schema = "writer_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    }
    String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    settings = new WriterSettings(TestWriters.NAME, url, USER, PASSWORD, 8,
        WriterSettings.DEFAULT_LOCK_TIMEOUT, WriterSettings.DEFAULT_CONNECTION_TIMEOUT);
  }

  @AfterEach
  void dropSchema() throws Exception {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private WriterDatabase open() {
    return WriterDatabase.open(settings, TestWriters.BUCKETS);
  }

  @Test
  void identityEpochsAndTheAdvisoryLock() {
    String incarnation;
    try (WriterDatabase db = open()) {
      incarnation = db.incarnation();
      assertThat(db.epoch()).isEqualTo(1);
      assertThatThrownBy(this::open).isInstanceOf(WriterLockedException.class)
          .hasMessageContaining("advisory lock");
      new LedgerRows(db, TestWriters.bucketOf()).markVerified();
    }
    try (WriterDatabase db = open()) {
      assertThat(db.incarnation()).isEqualTo(incarnation);
      assertThat(db.epoch()).isEqualTo(2);
    }
    assertThatThrownBy(() -> WriterDatabase.open(settings, 128))
        .isInstanceOf(WriterIdentityMismatchException.class);
  }

  @Test
  void concurrentTransfersUnderTheRowLockRaiseOneSentEntry() throws Exception {
    WriterKey to = WriterKey.of("order-2", "0badc0de");
    try (WriterDatabase db = open()) {
      LedgerRows rows = new LedgerRows(db, TestWriters.bucketOf());
      // a writer that only received rights gets a row from its first transfer
      concurrently(4, () -> {
        for (int i = 0; i < 10; i++) {
          db.inTransaction(tx -> {
            rows.lockRow(tx, "giver");
            return rows.addSent(tx, "giver", to, 3);
          });
        }
        return null;
      });
      StoredRow row = rows.row("giver").orElseThrow();
      assertThat(row.sent()).isEqualTo(java.util.Map.of(to, 120L));
      assertThat(row.version()).isEqualTo(40);
      assertThat(row.credited()).isZero();
    }
  }

  @Test
  void concurrentFirstAddsAndMarkPublished() throws Exception {
    try (WriterDatabase db = open()) {
      LedgerRows rows = new LedgerRows(db, TestWriters.bucketOf());
      List<Long> versions = concurrently(8, () -> {
        List<Long> own = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          own.add(db.inTransaction(tx -> rows.add(tx, "hot", 2, 1)));
        }
        return own;
      }).stream().flatMap(List::stream).toList();
      assertThat(versions).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, 200).boxed().toList());
      StoredRow hot = rows.row("hot").orElseThrow();
      assertThat(hot.credited()).isEqualTo(400);
      assertThat(hot.debited()).isEqualTo(200);

      db.inTransaction(tx -> rows.add(tx, "cold", 1, 0));
      assertThat(rows.pending(1)).hasSize(1);
      rows.markPublished(List.of(new PublishedRow("hot", 150), new PublishedRow("cold", 1)));
      assertThat(rows.row("hot").orElseThrow().pending()).isTrue();
      rows.markPublished(List.of(new PublishedRow("hot", 200), new PublishedRow("hot", 3)));
      assertThat(rows.pendingCount()).isZero();
      assertThat(rows.row("hot").orElseThrow().publishedVersion()).isEqualTo(200);

      assertThatThrownBy(() -> db.inTransaction(tx -> rows.add(tx, "hot", LedgerRows.LIMIT, 0)))
          .isInstanceOf(LedgerLimitExceededException.class);
    }
  }

  @Test
  void concurrentExecutionsOfOneKeyHaveExactlyOneEffect() throws Exception {
    try (WriterDatabase db = open()) {
      LedgerRows rows = new LedgerRows(db, TestWriters.bucketOf());
      Adjustments adjustments = new Adjustments(db, rows, new IdempotentCommands(db, () -> {}));
      List<IdempotentResult> results = concurrently(8,
          () -> List.of(adjustments.adjust("same-key", "alice", 10, "bonus")))
          .stream().flatMap(List::stream).toList();
      assertThat(results).filteredOn(r -> r instanceof Executed).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof Replayed).hasSize(7);
      assertThat(rows.row("alice").orElseThrow().credited()).isEqualTo(10);
      assertThat(TestWriters.count(db, "adjustment")).isEqualTo(1);

      // later: a retry replays (its claim fails on the stored key), another request is refused
      assertThat(adjustments.adjust("same-key", "alice", 10, "bonus")).isInstanceOf(Replayed.class);
      assertThat(adjustments.adjust("same-key", "alice", 11, "bonus")).isInstanceOf(KeyReused.class);
      assertThat(rows.row("alice").orElseThrow().version()).isEqualTo(1);
    }
  }

  @Test
  void healReappliesThisEpochsChangesOnTopOfTheReplica() {
    try (WriterDatabase db = open()) {
      LedgerRows rows = new LedgerRows(db, TestWriters.bucketOf());
      db.inTransaction(tx -> rows.add(tx, "alice", 100, 0));
      rows.markVerified();
    }
    try (WriterDatabase db = open()) {
      LedgerRows rows = new LedgerRows(db, TestWriters.bucketOf());
      db.inTransaction(tx -> rows.add(tx, "alice", 20, 0));
      WriterKey other = WriterKey.of("order-2", "0badcafe");
      TreeMap<WriterKey, Long> sent = new TreeMap<>(Map.of(other, 5L));

      HealResult result = rows.heal("alice", 150, 30, 3, sent);

      assertThat(result.healed()).isTrue();
      StoredRow alice = rows.row("alice").orElseThrow();
      assertThat(alice.credited()).isEqualTo(170);
      assertThat(alice.debited()).isEqualTo(30);
      assertThat(alice.version()).isEqualTo(4);
      assertThat(alice.sent()).containsExactly(Map.entry(other, 5L));
      assertThat(rows.heal("alice", 150, 30, 3, sent).healed()).isFalse();
      assertThat(rows.heal("bob", 9, 1, 2, new TreeMap<>()).after().credited()).isEqualTo(9);
    }
  }

  private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
