package io.loyaltyledger.ledger.writer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The lock of a PostgreSQL writer database: a session-level advisory lock held on a dedicated
 * connection (outside the pool) for the lifetime of the writer. Keyed by the current schema, so
 * writers in different schemas of one database do not exclude each other.
 */
final class PostgresAdvisoryLock implements ProcessLock {

  /** First half of the advisory lock key, identifying "Loyalty Ledger writer" locks. */
  private static final int LOCK_CLASS = 0x4c4c5752;

  private final Connection connection;
  private boolean closed;

  private PostgresAdvisoryLock(Connection connection) {
    this.connection = connection;
  }

  static PostgresAdvisoryLock acquire(WriterSettings s) {
    Connection c = null;
    try {
      c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
      c.setAutoCommit(true);
      try (PreparedStatement ps =
          c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(current_schema()))")) {
        ps.setInt(1, LOCK_CLASS);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            throw new WriterLockedException(
                "writer database " + JdbcUrls.redacted(s.jdbcUrl()) + " is in use by another writer process "
                    + "(advisory lock held)");
          }
        }
      }
      return new PostgresAdvisoryLock(c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new WriterDatabaseException("cannot take the writer lock on " + JdbcUrls.redacted(s.jdbcUrl()), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(connection); // ending the session releases the advisory lock
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the session is gone either way
      }
    }
  }
}
