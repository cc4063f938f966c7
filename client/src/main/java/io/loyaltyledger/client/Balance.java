package io.loyaltyledger.client;

import java.util.Map;

/** An account's balance as one node sees it, with each writer's contribution. */
public record Balance(
    String accountId,
    long balance,
    long earned,
    long spent,
    String consistency,
    String node,
    Map<String, WriterRow> writers) {

  public record WriterRow(long credited, long debited, long version) {}
}
