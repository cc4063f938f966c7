package io.loyaltyledger.ledger.writer;

import com.typesafe.config.Config;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how a writer keeps its own SQL database.
 *
 * <p>HOCON (the block handed to {@link #fromConfig}, e.g. {@code loyalty-ledger.writer}):
 *
 * <pre>
 * writer {
 *   # Writer name, [A-Za-z0-9._-]{1,64}; with the database's incarnation it forms the writer key.
 *   name = "ledger-1"
 *   # Embedded H2 file (default) or PostgreSQL, e.g. "jdbc:postgresql://db:5432/ledger1".
 *   # WRITE_DELAY=0 makes every H2 commit reach the file before it is acknowledged; it is added
 *   # to an H2 URL that lacks it, and any other value is refused.
 *   jdbc-url = "jdbc:h2:file:./var/ledger-1/writer;WRITE_DELAY=0"
 *   user = "sa"
 *   password = ""
 *   # Connections in the pool (HikariCP); at least 2.
 *   pool-size = 8
 *   # How long a statement waits for a row lock before the transaction is retried.
 *   lock-timeout = 10s
 *   # How long a caller waits for a free connection from the pool.
 *   connection-timeout = 10s
 * }
 * </pre>
 *
 * {@code name} and {@code jdbc-url} are required; the other keys default to the values above.
 */
public record WriterSettings(
    String name,
    String jdbcUrl,
    String user,
    String password,
    int poolSize,
    Duration lockTimeout,
    Duration connectionTimeout) {

  public static final String DEFAULT_USER = "sa";
  public static final int DEFAULT_POOL_SIZE = 8;
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  public WriterSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    // The name must be usable in a writer key; validate it the way WriterKey does.
    WriterKey.of(name, "00000000");
    if (poolSize < 2) {
      // Flyway holds two connections while it migrates (PostgreSQL: one for its lock)
      throw new IllegalArgumentException("pool-size must be at least 2, was " + poolSize);
    }
    if (lockTimeout.isNegative() || lockTimeout.isZero()) {
      throw new IllegalArgumentException("lock-timeout must be positive, was " + lockTimeout);
    }
    if (connectionTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("connection-timeout must be at least 250ms");
    }
    jdbcUrl = withDurableCommits(jdbcUrl);
  }

  public static WriterSettings fromConfig(Config c) {
    return new WriterSettings(
        c.getString("name"),
        c.getString("jdbc-url"),
        c.hasPath("user") ? c.getString("user") : DEFAULT_USER,
        c.hasPath("password") ? c.getString("password") : "",
        c.hasPath("pool-size") ? c.getInt("pool-size") : DEFAULT_POOL_SIZE,
        c.hasPath("lock-timeout") ? c.getDuration("lock-timeout") : DEFAULT_LOCK_TIMEOUT,
        c.hasPath("connection-timeout")
            ? c.getDuration("connection-timeout")
            : DEFAULT_CONNECTION_TIMEOUT);
  }

  /** An embedded H2 database in {@code file} (H2 appends {@code .mv.db}), default pool. */
  public static WriterSettings h2File(String name, Path file) {
    return new WriterSettings(
        name,
        "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0",
        DEFAULT_USER,
        "",
        DEFAULT_POOL_SIZE,
        DEFAULT_LOCK_TIMEOUT,
        DEFAULT_CONNECTION_TIMEOUT);
  }

  Dialect dialect() {
    return Dialect.of(jdbcUrl);
  }

  /** H2 delays writes by 500 ms by default: an acknowledged commit could be lost in a crash. */
  private static String withDurableCommits(String url) {
    if (!url.startsWith("jdbc:h2:")) {
      return url;
    }
    String upper = url.toUpperCase(Locale.ROOT);
    int at = upper.indexOf(";WRITE_DELAY=");
    if (at < 0) {
      return url + ";WRITE_DELAY=0";
    }
    String value = upper.substring(at + ";WRITE_DELAY=".length()).split(";", 2)[0].trim();
    if (!value.equals("0")) {
      throw new IllegalArgumentException(
          "a writer database must commit durably: use WRITE_DELAY=0 in " + JdbcUrls.redacted(url));
    }
    return url;
  }

  @Override
  public String toString() {
    return "WriterSettings[name=" + name + ", jdbcUrl=" + JdbcUrls.redacted(jdbcUrl) + ", user=" + user
        + ", password=" + (password.isEmpty() ? "" : "***") + ", poolSize=" + poolSize
        + ", lockTimeout=" + lockTimeout + ", connectionTimeout=" + connectionTimeout + "]";
  }
}
