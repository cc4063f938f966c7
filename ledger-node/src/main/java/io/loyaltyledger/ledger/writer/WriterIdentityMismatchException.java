package io.loyaltyledger.ledger.writer;

/**
 * The database belongs to another writer name or another bucket layout than the settings say:
 * opening it would publish rows under the wrong identity or into the wrong buckets.
 */
public class WriterIdentityMismatchException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public WriterIdentityMismatchException(String message) {
    super(message);
  }
}
