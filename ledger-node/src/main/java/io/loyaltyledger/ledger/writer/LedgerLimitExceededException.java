package io.loyaltyledger.ledger.writer;

/**
 * A row total would pass {@link LedgerRows#LIMIT} (2^62). The limit leaves headroom so that sums
 * over rows, and rights computed from them, cannot overflow a long. Nothing was written.
 */
public class LedgerLimitExceededException extends RejectedCommand {

  private static final long serialVersionUID = 1L;

  public LedgerLimitExceededException(String message) {
    super(422, "ledger_limit_exceeded", message);
  }
}
