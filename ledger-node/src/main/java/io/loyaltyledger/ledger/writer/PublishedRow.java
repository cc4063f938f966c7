package io.loyaltyledger.ledger.writer;

/** The replica acknowledged {@code accountId}'s row at {@code version}. */
public record PublishedRow(String accountId, long version) {}
