package io.loyaltyledger.ledger.writer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer's own SQL database, open and owned by this process: the source of truth for the rows
 * this writer authors. Opening it takes the one-process lock, migrates the schema, establishes the
 * writer's identity and the healing epoch.
 */
public final class WriterDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WriterDatabase.class);
  private static final int MAX_ATTEMPTS = 6;
  /** Flyway's history table of the writer schema; an order node keeps its own next to it. */
  static final String SCHEMA_HISTORY_TABLE = "writer_schema_history";

  private final WriterSettings settings;
  private final CommitGate commits;
  private final ProcessLock lock;
  private final HikariDataSource dataSource;
  private final WriterIdentity identity;
  private final WriterKey writerKey;

  private WriterDatabase(WriterSettings settings, ProcessLock lock, HikariDataSource dataSource,
      CommitGate commits, WriterIdentity identity) {
    this.settings = settings;
    this.commits = commits;
    this.lock = lock;
    this.dataSource = dataSource;
    this.identity = identity;
    this.writerKey = WriterKey.of(identity.writerName(), identity.incarnation().substring(0, 8));
  }

  /**
   * Opens the writer database of {@code settings} for a cluster of {@code buckets} buckets.
   *
   * @throws WriterLockedException when another process (or another open here) owns it
   * @throws WriterIdentityMismatchException when it belongs to another name or bucket count
   */
  public static WriterDatabase open(WriterSettings settings, int buckets) {
    if (buckets < 1 || buckets > 65_536) {
      throw new IllegalArgumentException("buckets must be in 1..65536, was " + buckets);
    }
    ProcessLock lock = ProcessLock.acquire(settings);
    HikariDataSource pool = null;
    try {
      pool = pool(settings);
      migrate(pool);
      CommitGate commits = new CommitGate();
      WriterIdentity identity = inTransaction(pool, commits,
          tx -> IdentityTable.establish(tx, settings.name(), buckets));
      WriterDatabase db = new WriterDatabase(settings, lock, pool, commits, identity);
      log.info("Writer database {} opened as {} (incarnation {}), {} epoch {}",
          JdbcUrls.redacted(settings.jdbcUrl()), db.writerKey, identity.incarnation(),
          identity.created() ? "created," : identity.newEpoch() ? "new" : "unverified, kept",
          identity.epoch());
      return db;
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      lock.close();
      throw e;
    }
  }

  private static HikariDataSource pool(WriterSettings s) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("writer-" + s.name());
    config.setJdbcUrl(s.jdbcUrl());
    config.setUsername(s.user());
    config.setPassword(s.password());
    config.setMaximumPoolSize(s.poolSize());
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setConnectionTimeout(s.connectionTimeout().toMillis());
    config.setConnectionInitSql(s.dialect().lockTimeoutStatement(s.lockTimeout()));
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      if (SqlFailures.isH2FileLocked(e)) {
        throw new WriterLockedException("writer database " + JdbcUrls.redacted(s.jdbcUrl())
            + " is in use by another process (H2 refused to open the locked file)", e);
      }
      throw e;
    }
  }

  private static void migrate(DataSource pool) {
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/writer")
        .table(SCHEMA_HISTORY_TABLE)
        // Another service's tables may already share the schema: start our history at 0.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /** This writer's key: its name and the first 8 hex digits of the database's incarnation. */
  public WriterKey writerKey() {
    return writerKey;
  }

  /** The database's incarnation id, 32 lowercase hex digits, fixed when it was created. */
  public String incarnation() {
    return identity.incarnation();
  }

  /** Whether this open created the database, and with it a new incarnation. */
  public boolean createdByThisOpen() {
    return identity.created();
  }

  /** The healing epoch of this open; fixed until the database is opened again. */
  public long epoch() {
    return identity.epoch();
  }

  public int buckets() {
    return identity.buckets();
  }

  public WriterSettings settings() {
    return settings;
  }

  /** Connections come with auto-commit off; prefer {@link #inTransaction}. */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Runs {@code work} in one transaction and commits it; rolls back on any exception. A
   * transaction that lost a conflict (serialization failure, deadlock) is run again, a few times;
   * one that waited in vain for a lock is not. Do not nest: each call takes its own connection.
   *
   * @throws WriterBusyException when no connection was free in time or conflicts went on
   * @throws WriterDatabaseException for other SQL failures; runtime exceptions of the work pass
   *     through
   */
  public <T> T inTransaction(SqlWork<T> work) {
    return inTransaction(dataSource, commits, work);
  }

  private static <T> T inTransaction(DataSource pool, CommitGate commits, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(pool, commits, work);
      } catch (SQLException e) {
        // A lock timeout has waited lock-timeout already: another wait would only hold the
        // caller (an HTTP request, for one) for as long again.
        if (attempt < MAX_ATTEMPTS && SqlFailures.isConflict(e) && !SqlFailures.isLockTimeout(e)) {
          log.debug("Transaction conflict (SQLState {}), attempt {}", e.getSQLState(), attempt);
          backOff(attempt, e);
          continue;
        }
        String failed = "transaction failed (attempt " + attempt + "): " + e.getMessage();
        if (SqlFailures.isTransient(e) || e instanceof SQLTransientConnectionException) {
          throw new WriterBusyException(failed, e); // HikariCP's pool timeout is the latter
        }
        throw new WriterDatabaseException(failed, e);
      }
    }
  }

  private static <T> T once(DataSource pool, CommitGate commits, SqlWork<T> work)
      throws SQLException {
    try (Connection tx = pool.getConnection()) {
      try {
        T result = work.apply(tx);
        commits.commit(tx);
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          tx.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    }
  }

  /**
   * Returns once every commit that was in progress when it was called has returned, and with it
   * is on disk: call it after reading rows that will leave this process (see {@link CommitGate}).
   */
  public void awaitCommitsInProgress() {
    commits.awaitInProgress();
  }

  private static void backOff(int attempt, SQLException cause) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriterDatabaseException("interrupted while retrying a transaction", cause);
    }
  }

  /** Records that this epoch's rows have been checked against the replica. */
  void markVerified() {
    inTransaction(tx -> {
      IdentityTable.markVerified(tx, identity.epoch());
      return null;
    });
    log.info("Writer {} verified epoch {} against the replica", writerKey, identity.epoch());
  }

  /** Whether {@link #markVerified} happened in the current epoch. */
  public boolean isVerified() {
    return inTransaction(IdentityTable::isVerified);
  }

  @Override
  public void close() {
    try {
      dataSource.close();
    } finally {
      lock.close();
    }
  }
}
