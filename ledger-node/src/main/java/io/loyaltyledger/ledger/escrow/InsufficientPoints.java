package io.loyaltyledger.ledger.escrow;

import io.loyaltyledger.ledger.writer.RejectedCommand;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A redemption this writer cannot cover: 409 {@code insufficient_points}, or 503
 * {@code transfer_unavailable} when a writer that seemed to hold the missing rights did not answer
 * in time. Thrown inside the command's transaction, so nothing is written.
 */
public final class InsufficientPoints extends RejectedCommand {

  private static final long serialVersionUID = 1L;

  private final long requested;
  private final long available;
  private final long balance;

  private InsufficientPoints(int status, String code, String message, long requested,
      long available, long balance) {
    super(status, code, message, details(requested, available, balance));
    this.requested = requested;
    this.available = available;
    this.balance = balance;
  }

  /** The node's own rights fall short (before asking other writers). */
  public static InsufficientPoints shortOfRights(long requested, OwnRights.Seen seen) {
    return new InsufficientPoints(409, "insufficient_points",
        "the account has not enough points for this redemption", requested,
        seen.rights(), seen.balance());
  }

  /** The final answer after asking other writers. */
  public static InsufficientPoints after(InsufficientPoints shortfall, boolean donorsSilent) {
    if (donorsSilent) {
      return new InsufficientPoints(503, "transfer_unavailable",
          "not enough points on this node and a node that may hold the rest did not answer in"
              + " time; nothing was written, retry later",
          shortfall.requested, shortfall.available, shortfall.balance);
    }
    return shortfall;
  }

  /** Points still missing on this node. */
  public long missing() {
    return Math.max(0, requested - available);
  }

  private static Map<String, Object> details(long requested, long available, long balance) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("requested", requested);
    details.put("available", available);
    details.put("balance", balance);
    return details;
  }
}
