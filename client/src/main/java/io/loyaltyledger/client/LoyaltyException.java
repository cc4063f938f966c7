package io.loyaltyledger.client;

/**
 * A node answered with an error ({@code {"error": code, "message": …}}), or the client gave up.
 * {@link #errorCode()} is the node's code, e.g. {@code invalid_amount} or {@code not_yet_visible}.
 */
public class LoyaltyException extends RuntimeException {

  private final String errorCode;
  private final int status;
  private final NodeEndpoint node;

  public LoyaltyException(String errorCode, int status, String message, NodeEndpoint node) {
    super(message);
    this.errorCode = errorCode;
    this.status = status;
    this.node = node;
  }

  public String errorCode() {
    return errorCode;
  }

  /** The HTTP status of the node's answer, 0 when no node answered. */
  public int status() {
    return status;
  }

  /** The node that answered (or was last tried), null when none. */
  public NodeEndpoint node() {
    return node;
  }
}
