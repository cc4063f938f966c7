package io.loyaltyledger.ledger.escrow;

import io.loyaltyledger.ledger.writer.RejectedCommand;

/**
 * A redemption whose idempotency key is still being run on this node by an earlier request: its
 * outcome is not known yet (it may still commit), so this is a 503 to retry with the same key.
 */
public final class RequestInProgress extends RejectedCommand {

  private static final long serialVersionUID = 1L;

  public RequestInProgress() {
    super(503, "request_in_progress",
        "a request with this Idempotency-Key is still running on this node; retry with the same"
            + " key to get its answer");
  }
}
