package io.loyaltyledger.client;

import java.util.Map;

/**
 * An account's balance as one node sees it, with each writer's contribution. {@code available}:
 * the points the answering node's writer may redeem without asking other nodes; a writer's
 * {@code rights}: the same for that writer, as the answering node's replica shows it.
 */
public record Balance(
    String accountId,
    long balance,
    long earned,
    long spent,
    String consistency,
    String node,
    long available,
    Map<String, WriterRow> writers) {

  public record WriterRow(long credited, long debited, long version, long rights) {}
}
