package io.loyaltyledger.ledger.escrow;

import io.loyaltyledger.ledger.writer.RejectedCommand;

/** Redemptions of one account queued on this node past the deadline: 503, nothing written. */
public final class AccountBusy extends RejectedCommand {

  private static final long serialVersionUID = 1L;

  public AccountBusy(String accountId) {
    super(503, "account_busy",
        "too many redemptions of account " + accountId + " at once on this node; retry shortly");
  }
}
