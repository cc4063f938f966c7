package io.loyaltyledger.ledger.writer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A business rejection thrown by a command's work: the transaction rolls back and nothing is stored
 * under the idempotency key, so the client may fix the request and retry with the same key.
 */
public class RejectedCommand extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorCode;
  private final Map<String, Object> details;

  public RejectedCommand(int status, String errorCode, String message) {
    this(status, errorCode, message, Map.of());
  }

  /** @param details extra fields of the error answer, e.g. the balance a node could see */
  public RejectedCommand(int status, String errorCode, String message, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** Extra fields of the error answer, after {@code error} and {@code message}. */
  public Map<String, Object> details() {
    return details;
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
