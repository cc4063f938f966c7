package io.loyaltyledger.client;

/**
 * A write reached a node, which may or may not have applied it (timeout, connection reset, node
 * stopped), and retries on that node did not get an answer before the deadline. Retrying later
 * with {@link #idempotencyKey()} on a node of the same idempotency scope is safe: it is applied
 * at most once, and the retry returns the first answer if there was one.
 */
public final class OutcomeUnknownException extends LoyaltyException {

  private final String idempotencyKey;

  public OutcomeUnknownException(String idempotencyKey, NodeEndpoint node, String message) {
    super("outcome_unknown", 0, message, node);
    this.idempotencyKey = idempotencyKey;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }
}
