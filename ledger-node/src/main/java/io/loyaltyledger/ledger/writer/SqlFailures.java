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

  /** Serialization failure or H2 deadlock, PostgreSQL deadlock. */
  private static final Set<String> CONFLICT_STATES = Set.of("40001", "40P01");
  /** H2: CONCURRENT_UPDATE_1, DEADLOCK_1. */
  private static final Set<Integer> H2_CONFLICT_CODES = Set.of(90131, 40001);
  /** PostgreSQL lock_not_available (its lock_timeout), H2 lock timeout. */
  private static final Set<String> LOCK_TIMEOUT_STATES = Set.of("55P03", "HYT00");
  /** H2: LOCK_TIMEOUT_1. */
  private static final Set<Integer> H2_LOCK_TIMEOUT_CODES = Set.of(50200);
  private static final String UNIQUE_VIOLATION = "23505";
  /** H2: DATABASE_ALREADY_OPEN_1, the file is locked by another process. */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  private SqlFailures() {}

  /**
   * The transaction was rolled back by a conflict with another one, or waited in vain for a row
   * lock: the database is busy, nothing was written, the same work may succeed later.
   */
  static boolean isTransient(Throwable t) {
    return isConflict(t) || isLockTimeout(t);
  }

  /** Lost a conflict (serialization failure, deadlock): running it again at once may succeed. */
  static boolean isConflict(Throwable t) {
    return anyOf(t, CONFLICT_STATES, H2_CONFLICT_CODES);
  }

  /**
   * The transaction waited {@code lock-timeout} for a row lock in vain: transient, but running it
   * again would wait that long once more.
   */
  static boolean isLockTimeout(Throwable t) {
    return anyOf(t, LOCK_TIMEOUT_STATES, H2_LOCK_TIMEOUT_CODES);
  }

  /** Whether a failure in the chain has one of {@code states}, or (H2) one of {@code h2Codes}. */
  private static boolean anyOf(Throwable t, Set<String> states, Set<Integer> h2Codes) {
    for (SQLException e : chain(t)) {
      // a pool timeout (HikariCP) has no SQLState, and Set.of refuses to look null up
      String state = e.getSQLState();
      if ((state != null && states.contains(state))
          || (isH2(e) && h2Codes.contains(e.getErrorCode()))) {
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
