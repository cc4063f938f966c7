package io.loyaltyledger.ledger.writer;

/**
 * The database could not take the transaction now: no connection was free within {@code
 * connection-timeout}, a row lock was not had within {@code lock-timeout}, or deadlocks went on.
 * It was rolled back, so nothing of it was written, and the same request may simply be sent again.
 */
public final class WriterBusyException extends WriterDatabaseException {

  private static final long serialVersionUID = 1L;

  public WriterBusyException(String message, Throwable cause) {
    super(message, cause);
  }
}
