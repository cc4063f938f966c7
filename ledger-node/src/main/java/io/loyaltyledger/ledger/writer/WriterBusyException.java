package io.loyaltyledger.ledger.writer;

/**
 * The database could not take the transaction now: no connection was free within {@code
 * connection-timeout}, or it kept losing lock conflicts. It was rolled back, so nothing of it was
 * written, and the same request may simply be sent again.
 */
public final class WriterBusyException extends WriterDatabaseException {

  private static final long serialVersionUID = 1L;

  public WriterBusyException(String message, Throwable cause) {
    super(message, cause);
  }
}
