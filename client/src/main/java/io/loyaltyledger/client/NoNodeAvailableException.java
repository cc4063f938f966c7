package io.loyaltyledger.client;

/** No node of the list answered (connection refused, timeouts, 5xx): nothing was applied. */
public final class NoNodeAvailableException extends LoyaltyException {

  public NoNodeAvailableException(String message) {
    super("no_node_available", 0, message, null);
  }
}
