package io.loyaltyledger.ledger.writer;

/**
 * A business rejection thrown by a command's work: the transaction rolls back and nothing is stored
 * under the idempotency key, so the client may fix the request and retry with the same key.
 */
public class RejectedCommand extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorCode;

  public RejectedCommand(int status, String errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status to answer with, e.g. 409 or 422. */
  public int status() {
    return status;
  }

  /** A stable, machine-readable code, e.g. {@code insufficient_points}. */
  public String errorCode() {
    return errorCode;
  }
}
