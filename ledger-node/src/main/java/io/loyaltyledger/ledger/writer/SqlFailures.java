package io.loyaltyledger.ledger.writer;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Classifies SQL failures the same way on H2 and PostgreSQL. Public for services that keep their
 * own records in the writer's database (the order service).
 */
public final class SqlFailures {

  /** Serialization failure or H2 deadlock, PostgreSQL deadlock and lock_timeout, H2 lock timeout. */
  private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "HYT00");
  /** H2: LOCK_TIMEOUT_1, CONCURRENT_UPDATE_1, DEADLOCK_1. */
  private static final Set<Integer> H2_TRANSIENT_CODES = Set.of(50200, 90131, 40001);
  private static final Set<String> LOCK_TIMEOUT_STATES = Set.of("55P03", "HYT00");
  private static final int H2_LOCK_TIMEOUT = 50200;
  private static final String UNIQUE_VIOLATION = "23505";
  /** H2: DATABASE_ALREADY_OPEN_1, the file is locked by another process. */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  private SqlFailures() {}

  /** The transaction was rolled back by a conflict: running it again may succeed. */
  static boolean isTransient(Throwable t) {
    for (SQLException e : chain(t)) {
      // a pool timeout (HikariCP) has no SQLState, and Set.of refuses to look null up
      String state = e.getSQLState();
      if ((state != null && TRANSIENT_STATES.contains(state))
          || (isH2(e) && H2_TRANSIENT_CODES.contains(e.getErrorCode()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The transaction waited {@code lock-timeout} for a row lock in vain (H2 HYT00 / 50200,
   * PostgreSQL 55P03): transient, but running it again would wait that long once more.
   */
  static boolean isLockTimeout(Throwable t) {
    for (SQLException e : chain(t)) {
      if (LOCK_TIMEOUT_STATES.contains(String.valueOf(e.getSQLState()))
          || (isH2(e) && e.getErrorCode() == H2_LOCK_TIMEOUT)) {
        return true;
      }
    }
    return false;
  }

  /** A unique or primary key refused the row (SQLState 23505 on both databases). */
  public static boolean isDuplicateKey(Throwable t) {
    for (SQLException e : chain(t)) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static boolean isH2FileLocked(Throwable t) {
    for (SQLException e : chain(t)) {
      if (isH2(e) && e.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
        return true;
      }
    }
    return false;
  }

  private static boolean isH2(SQLException e) {
    return e.getClass().getName().startsWith("org.h2.");
  }

  /** Every SQLException among the causes and chained next-exceptions (batches chain them). */
  private static List<SQLException> chain(Throwable t) {
    List<SQLException> all = new ArrayList<>();
    for (Throwable c = t; c != null && all.size() < 32; c = c.getCause()) {
      if (c instanceof SQLException e) {
        for (SQLException n = e; n != null && all.size() < 32; n = n.getNextException()) {
          all.add(n);
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return all;
  }
}
