package io.loyaltyledger.ledger.writer;

import java.util.Optional;

/**
 * What {@link LedgerRows#heal} did to one row. {@code before} is empty when the database had no
 * row; {@code healed} is false when the row already covered the replica (nothing was written).
 */
public record HealResult(
    String accountId, Optional<StoredRow> before, StoredRow after, boolean healed) {}
