package io.loyaltyledger.ledger.crdt;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares one writer-key array among all accounts with the same writers: a replica holds millions
 * of accounts but few distinct sets of writers, and an array per account would cost more than its
 * counters. Like {@link WriterKeyInterner}, the table is cleared if it ever grows large (only
 * sharing is lost, never correctness).
 */
final class WriterSets {

  private static final int MAX_ENTRIES = 4096;
  private static final ConcurrentHashMap<Set, WriterKey[]> SETS = new ConcurrentHashMap<>();

  private WriterSets() {}

  /** The shared array with the keys of {@code writers}; never modify either. */
  static WriterKey[] intern(WriterKey[] writers) {
    Set set = new Set(writers);
    WriterKey[] known = SETS.get(set);
    if (known != null) {
      return known;
    }
    if (SETS.size() >= MAX_ENTRIES) {
      SETS.clear();
    }
    WriterKey[] raced = SETS.putIfAbsent(set, writers);
    return raced != null ? raced : writers;
  }

  /** An array compared by content. */
  private record Set(WriterKey[] writers) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Set other && Arrays.equals(writers, other.writers);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(writers);
    }
  }
}
