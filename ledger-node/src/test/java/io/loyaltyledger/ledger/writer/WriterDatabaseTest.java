package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterDatabaseTest {

  @TempDir Path dir;

  @Test
  void createsTheIdentityOnFirstOpen() {
    try (WriterDatabase db = TestWriters.open(dir)) {
      assertThat(db.incarnation()).matches("[0-9a-f]{32}");
      assertThat(db.writerKey().value())
          .isEqualTo(TestWriters.NAME + "@" + db.incarnation().substring(0, 8));
      assertThat(db.epoch()).isEqualTo(1);
      assertThat(db.buckets()).isEqualTo(TestWriters.BUCKETS);
      assertThat(db.isVerified()).isFalse();
      assertThat(db.createdByThisOpen()).isTrue();
      // Flyway quotes the name: lower case on H2 as on PostgreSQL
      assertThat(TestWriters.count(db, "\"writer_schema_history\"")).isPositive();
    }
  }

  @Test
  void reopeningKeepsTheIncarnationAndAdvancesTheEpochOnlyAfterVerification() {
    String incarnation;
    try (WriterDatabase db = TestWriters.open(dir)) {
      incarnation = db.incarnation();
    }
    try (WriterDatabase db = TestWriters.open(dir)) {
      assertThat(db.incarnation()).isEqualTo(incarnation);
      assertThat(db.createdByThisOpen()).isFalse();
      assertThat(db.epoch()).as("unverified epoch is kept").isEqualTo(1);
      new LedgerRows(db, TestWriters.bucketOf()).markVerified();
      assertThat(db.isVerified()).isTrue();
    }
    try (WriterDatabase db = TestWriters.open(dir)) {
      assertThat(db.incarnation()).isEqualTo(incarnation);
      assertThat(db.epoch()).isEqualTo(2);
      assertThat(db.isVerified()).isFalse();
    }
    try (WriterDatabase db = TestWriters.open(dir)) {
      assertThat(db.epoch()).isEqualTo(2);
    }
  }

  @Test
  void refusesAnotherBucketCountOrNameAndStaysUsable() {
    TestWriters.open(dir).close();
    assertThatThrownBy(() -> WriterDatabase.open(TestWriters.settings(dir), 128))
        .isInstanceOf(WriterIdentityMismatchException.class)
        .hasMessageContaining("64 buckets");
    assertThatThrownBy(() -> WriterDatabase.open(
            WriterSettings.h2File("ledger-2", dir.resolve("writer")), TestWriters.BUCKETS))
        .isInstanceOf(WriterIdentityMismatchException.class)
        .hasMessageContaining("ledger-1");
    try (WriterDatabase db = TestWriters.open(dir)) {
      assertThat(db.epoch()).isEqualTo(1);
    }
  }

  @Test
  void aSecondOpenInTheSameJvmIsRefused() {
    try (WriterDatabase db = TestWriters.open(dir)) {
      assertThatThrownBy(() -> TestWriters.open(dir))
          .isInstanceOf(WriterLockedException.class)
          .hasMessageContaining("already open in this JVM");
      // a differently spelled path to the same file is the same database
      Path sameFile = dir.resolve("sub").resolve("..").resolve("writer");
      assertThatThrownBy(() -> WriterDatabase.open(
              WriterSettings.h2File(TestWriters.NAME, sameFile), TestWriters.BUCKETS))
          .isInstanceOf(WriterLockedException.class);
      assertThat(db.<Integer>inTransaction(tx -> 1)).isEqualTo(1);
    }
    TestWriters.open(dir).close();
  }

  @Test
  void refusesH2UrlsThatShareTheFile() {
    WriterSettings server = new WriterSettings(TestWriters.NAME,
        "jdbc:h2:file:" + dir.resolve("w") + ";AUTO_SERVER=TRUE", "sa", "", 2,
        WriterSettings.DEFAULT_LOCK_TIMEOUT, WriterSettings.DEFAULT_CONNECTION_TIMEOUT);
    assertThatThrownBy(() -> WriterDatabase.open(server, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inTransactionCommitsOrRollsBackAsAWhole() {
    try (WriterDatabase db = TestWriters.open(dir)) {
      LedgerRows rows = new LedgerRows(db, TestWriters.bucketOf());
      assertThatThrownBy(() -> db.inTransaction(tx -> {
        rows.add(tx, "a", 5, 0);
        throw new IllegalStateException("boom");
      })).hasMessage("boom");
      assertThat(rows.row("a")).isEmpty();
      db.inTransaction(tx -> rows.add(tx, "a", 5, 0));
      assertThat(rows.row("a").orElseThrow().credited()).isEqualTo(5);
    }
  }

  @Test
  void retriesATransactionThatLostAConflict() {
    try (WriterDatabase db = TestWriters.open(dir)) {
      AtomicInteger attempts = new AtomicInteger();
      int result = db.inTransaction(tx -> {
        if (attempts.incrementAndGet() < 3) {
          throw new SQLException("serialization failure", "40001");
        }
        return 42;
      });
      assertThat(result).isEqualTo(42);
      assertThat(attempts).hasValue(3);

      attempts.set(0);
      assertThatThrownBy(() -> db.inTransaction(tx -> {
        attempts.incrementAndGet();
        throw new SQLException("syntax", "42000");
      })).isInstanceOf(WriterDatabaseException.class);
      assertThat(attempts).as("other failures are not retried").hasValue(1);

      attempts.set(0);
      assertThatThrownBy(() -> db.inTransaction(tx -> {
        attempts.incrementAndGet();
        throw new SQLException("timeout trying to lock table", "HYT00", 50200);
      })).isInstanceOf(WriterBusyException.class);
      assertThat(attempts).as("a lock timeout has waited long enough").hasValue(1);
    }
  }

  @Test
  void aTransactionThatFoundNoFreeConnectionInTimeIsBusy() throws Exception {
    WriterSettings two = TestWriters.settings(dir);
    WriterSettings settings = new WriterSettings(two.name(), two.jdbcUrl(), two.user(),
        two.password(), 2, two.lockTimeout(), Duration.ofMillis(250));
    try (WriterDatabase db = WriterDatabase.open(settings, TestWriters.BUCKETS)) {
      CountDownLatch bothTaken = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService holders = Executors.newFixedThreadPool(2);
      try {
        for (int i = 0; i < 2; i++) {
          holders.submit(() -> db.inTransaction(tx -> {
            bothTaken.countDown();
            try {
              return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
          }));
        }
        assertThat(bothTaken.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> db.inTransaction(tx -> attempts.incrementAndGet()))
            .isInstanceOf(WriterBusyException.class);
        assertThat(attempts).as("the work never ran").hasValue(0);
      } finally {
        release.countDown();
        holders.shutdown();
        assertThat(holders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void conflictsThatGoOnMakeTheWriterBusy() {
    try (WriterDatabase db = TestWriters.open(dir)) {
      assertThatThrownBy(() -> db.inTransaction(tx -> {
        throw new SQLException("serialization failure", "40001");
      })).isInstanceOf(WriterBusyException.class);
      assertThatThrownBy(() -> db.inTransaction(tx -> {
        throw new SQLException("syntax", "42000");
      })).isNotInstanceOf(WriterBusyException.class);
    }
  }

  @Test
  void identityRowIsSingle() {
    try (WriterDatabase db = TestWriters.open(dir)) {
      assertThatThrownBy(() -> db.inTransaction(tx -> {
        try (PreparedStatement ps = tx.prepareStatement(
            "INSERT INTO writer_identity (id, incarnation, writer_name, buckets, epoch, verified)"
                + " VALUES (2, '0123456789abcdef0123456789abcdef', 'x', 1, 1, FALSE)")) {
          return ps.executeUpdate();
        }
      })).isInstanceOf(WriterDatabaseException.class);
      assertThat(db.<Integer>inTransaction(tx -> {
        try (PreparedStatement ps = tx.prepareStatement("SELECT COUNT(*) FROM writer_identity");
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      })).isEqualTo(1);
    }
  }
}
