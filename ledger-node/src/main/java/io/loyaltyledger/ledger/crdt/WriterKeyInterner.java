package io.loyaltyledger.ledger.crdt;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares one {@link WriterKey} instance per writer among decoded buckets and deltas: every
 * gossiped delta would otherwise bring fresh copies that end up retained by the rows they came
 * with. Writers are few; the table is simply cleared if it ever grows large (only sharing is
 * lost, never correctness).
 */
final class WriterKeyInterner {

  private static final int MAX_ENTRIES = 4096;
  private static final ConcurrentHashMap<String, WriterKey> KEYS = new ConcurrentHashMap<>();

  private WriterKeyInterner() {}

  /** The shared key for {@code value}; throws IllegalArgumentException if it is not a key. */
  static WriterKey intern(String value) {
    WriterKey known = KEYS.get(value);
    if (known != null) {
      return known;
    }
    WriterKey parsed = WriterKey.parse(value);
    if (KEYS.size() >= MAX_ENTRIES) {
      KEYS.clear();
    }
    WriterKey raced = KEYS.putIfAbsent(value, parsed);
    return raced != null ? raced : parsed;
  }
}
