package io.loyaltyledger.ledger.crdt;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code sent} part of a row: escrow rights one writer transferred to others, as two sorted
 * parallel arrays (compact: most rows have none and share {@link #NONE}). Amounts only grow, so
 * merge is the pointwise maximum. Immutable; the arrays are never exposed.
 */
final class Transfers {

  static final Transfers NONE = new Transfers(new WriterKey[0], new long[0]);

  private final WriterKey[] to;
  private final long[] amounts;

  private Transfers(WriterKey[] to, long[] amounts) {
    this.to = to;
    this.amounts = amounts;
  }

  /** Trusted: {@code to} strictly ascending, amounts in 1..MAX_TOTAL; the arrays are adopted. */
  static Transfers ofSorted(WriterKey[] to, long[] amounts) {
    return to.length == 0 ? NONE : new Transfers(to, amounts);
  }

  /** Validates and copies; zero amounts are dropped. */
  static Transfers of(Map<WriterKey, Long> sent) {
    TreeMap<WriterKey, Long> sorted = new TreeMap<>();
    for (Map.Entry<WriterKey, Long> e : sent.entrySet()) {
      WriterKey key = e.getKey();
      Long amount = e.getValue();
      if (key == null || amount == null) {
        throw new IllegalArgumentException("sent must not contain null keys or values: " + sent);
      }
      Row.requireAmount("sent[" + key + "]", amount);
      if (amount != 0) {
        sorted.put(key, amount);
      }
    }
    if (sorted.isEmpty()) {
      return NONE;
    }
    WriterKey[] to = new WriterKey[sorted.size()];
    long[] amounts = new long[sorted.size()];
    int i = 0;
    for (Map.Entry<WriterKey, Long> e : sorted.entrySet()) {
      to[i] = e.getKey();
      amounts[i] = e.getValue();
      i++;
    }
    return new Transfers(to, amounts);
  }

  int size() {
    return to.length;
  }

  boolean isEmpty() {
    return to.length == 0;
  }

  WriterKey to(int index) {
    return to[index];
  }

  long amount(int index) {
    return amounts[index];
  }

  long get(WriterKey writer) {
    int i = SortedArrays.binarySearch(to, to.length, writer);
    return i >= 0 ? amounts[i] : 0;
  }

  long total() {
    long sum = 0;
    for (long amount : amounts) {
      sum = Math.addExact(sum, amount);
    }
    return sum;
  }

  SortedMap<WriterKey, Long> asMap() {
    TreeMap<WriterKey, Long> map = new TreeMap<>();
    for (int i = 0; i < to.length; i++) {
      map.put(to[i], amounts[i]);
    }
    return Collections.unmodifiableSortedMap(map);
  }

  /** Every entry of {@code other} is at most ours. */
  boolean covers(Transfers other) {
    if (other == this || other.isEmpty()) {
      return true;
    }
    int i = 0;
    for (int j = 0; j < other.to.length; j++) {
      i = SortedArrays.gallop(to, i, to.length, other.to[j]);
      if (i == to.length
          || SortedArrays.compare(to[i], other.to[j]) != 0
          || amounts[i] < other.amounts[j]) {
        return false;
      }
    }
    return true;
  }

  /** Pointwise maximum; returns one of the operands when it already covers the other. */
  Transfers merge(Transfers other) {
    if (covers(other)) {
      return this;
    }
    if (other.covers(this)) {
      return other;
    }
    WriterKey[] keys = new WriterKey[to.length + other.to.length];
    long[] values = new long[keys.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < to.length || j < other.to.length) {
      int c =
          i == to.length ? 1 : j == other.to.length ? -1 : SortedArrays.compare(to[i], other.to[j]);
      if (c < 0) {
        keys[k] = to[i];
        values[k++] = amounts[i++];
      } else if (c > 0) {
        keys[k] = other.to[j];
        values[k++] = other.amounts[j++];
      } else {
        keys[k] = to[i];
        values[k++] = Math.max(amounts[i++], other.amounts[j++]);
      }
    }
    return new Transfers(Arrays.copyOf(keys, k), Arrays.copyOf(values, k));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transfers other
        && Arrays.equals(to, other.to)
        && Arrays.equals(amounts, other.amounts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(to) + Arrays.hashCode(amounts);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < to.length; i++) {
      s.append(i == 0 ? "" : ", ").append(to[i]).append('=').append(amounts[i]);
    }
    return s.append('}').toString();
  }
}
