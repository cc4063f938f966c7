package io.loyaltyledger.client;

/** What {@code GET /v1/node} says: a write's retries must stay within its idempotency scope. */
public record NodeInfo(
    String name,
    String role,
    String writerKey,
    String idempotencyScope,
    boolean ready,
    Boolean majorityReachable,
    Double publishBacklogSeconds) {

  public boolean isOrderNode() {
    return "order".equals(role);
  }
}
