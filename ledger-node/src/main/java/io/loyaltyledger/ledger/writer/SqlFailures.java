package io.loyaltyledger.ledger.writer;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Classifies SQL failures the same way on H2 and PostgreSQL. Public for services that keep their
 * own records in the writer's database (the order service).
 */
public final class SqlFailures {

  /** PostgreSQL lock_not_available (its lock_timeout), H2 lock timeout. */
  private static final Set<String> LOCK_TIMEOUT_STATES = Set.of("55P03", "HYT00");
  /** H2: LOCK_TIMEOUT_1. */
  private static final Set<Integer> H2_LOCK_TIMEOUT_CODES = Set.of(50200);
  /** Serialization failure or H2 deadlock, PostgreSQL deadlock, and the lock timeouts. */
  private static final Set<String> TRANSIENT_STATES =
      union(Set.of("40001", "40P01"), LOCK_TIMEOUT_STATES);
  /** H2: CONCURRENT_UPDATE_1, DEADLOCK_1, and the lock timeout. */
  private static final Set<Integer> H2_TRANSIENT_CODES =
      union(Set.of(90131, 40001), H2_LOCK_TIMEOUT_CODES);
  private static final String UNIQUE_VIOLATION = "23505";
  /** H2: DATABASE_ALREADY_OPEN_1, the file is locked by another process. */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  private SqlFailures() {}

  /** The transaction was rolled back by a conflict: running it again may succeed. */
  static boolean isTransient(Throwable t) {
    return anyOf(t, TRANSIENT_STATES, H2_TRANSIENT_CODES);
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

  private static <T> Set<T> union(Set<T> some, Set<T> more) {
    Set<T> all = new HashSet<>(some);
    all.addAll(more);
    return Set.copyOf(all);
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
