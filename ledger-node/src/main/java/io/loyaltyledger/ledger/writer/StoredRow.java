package io.loyaltyledger.ledger.writer;

import io.loyaltyledger.ledger.crdt.WriterKey;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * This writer's row of one account as stored in its database: the absolute values to publish.
 * {@code sent} holds the escrow rights sent to other writers.
 */
public record StoredRow(
    String accountId,
    int bucket,
    long credited,
    long debited,
    long version,
    long publishedVersion,
    SortedMap<WriterKey, Long> sent) {

  public StoredRow {
    // Almost no row has transfers: share one empty map instead of copying.
    sent =
        sent.isEmpty()
            ? Collections.emptySortedMap()
            : Collections.unmodifiableSortedMap(new TreeMap<>(sent));
  }

  /** Changes up to {@link #version} are not yet known to be in the replica. */
  public boolean pending() {
    return version > publishedVersion;
  }
}
