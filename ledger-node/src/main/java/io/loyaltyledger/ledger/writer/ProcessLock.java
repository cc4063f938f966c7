package io.loyaltyledger.ledger.writer;

/**
 * Keeps a writer database to one owner: one process, and one open within that process. Held for
 * the lifetime of a {@link WriterDatabase}.
 */
interface ProcessLock extends AutoCloseable {

  static ProcessLock acquire(WriterSettings settings) {
    return switch (settings.dialect()) {
      case H2 -> H2FileLock.acquire(settings.jdbcUrl());
      case POSTGRESQL -> PostgresAdvisoryLock.acquire(settings);
    };
  }

  /** Releases the lock; idempotent. */
  @Override
  void close();
}
