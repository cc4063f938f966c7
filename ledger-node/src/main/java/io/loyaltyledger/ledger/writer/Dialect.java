package io.loyaltyledger.ledger.writer;

import java.time.Duration;

/** The two databases a writer runs on. Only session settings differ; the SQL is shared. */
enum Dialect {
  H2,
  POSTGRESQL;

  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported writer database (H2 or PostgreSQL only): " + jdbcUrl);
  }

  /** Run on every new connection so a blocked statement fails instead of hanging. */
  String lockTimeoutStatement(Duration timeout) {
    long millis = Math.max(1, timeout.toMillis());
    return switch (this) {
      case H2 -> "SET LOCK_TIMEOUT " + millis;
      case POSTGRESQL -> "SET lock_timeout = '" + millis + "ms'";
    };
  }
}
