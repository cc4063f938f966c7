package io.loyaltyledger.client;

/** One node's view of a balance, or why that node gave none (for side-by-side views). */
public record NodeBalance(NodeEndpoint node, Balance balance, String failure) {

  public boolean answered() {
    return balance != null;
  }
}
