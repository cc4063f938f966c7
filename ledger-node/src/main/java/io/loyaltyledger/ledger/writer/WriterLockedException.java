package io.loyaltyledger.ledger.writer;

/**
 * Another process (or another open in this JVM) already owns the writer database. A writer is the
 * only author of its rows, so a second one must not start.
 */
public class WriterLockedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public WriterLockedException(String message) {
    super(message);
  }

  public WriterLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
