package io.loyaltyledger.ledger.crdt;

/**
 * Searches in the sorted arrays that back buckets, accounts and transfers. Comparisons check
 * identity first: merged states share their keys, so most comparisons end there.
 */
final class SortedArrays {

  private SortedArrays() {}

  static <T extends Comparable<T>> int compare(T a, T b) {
    return a == b ? 0 : a.compareTo(b);
  }

  /** Index of {@code key} in {@code keys[0..size)}, or {@code -(insertion point) - 1}. */
  static <T extends Comparable<T>> int binarySearch(T[] keys, int size, T key) {
    int low = 0;
    int high = size - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = compare(keys[mid], key);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  /**
   * The first index {@code i >= from} with {@code keys[i] >= key} (or {@code size}). Galloping:
   * costs O(log d) for a target d places ahead, so walking one sorted array through another
   * costs O(m log(n/m)) — cheap both for a small delta into a big bucket and for two big buckets.
   */
  static <T extends Comparable<T>> int gallop(T[] keys, int from, int size, T key) {
    int low = from;
    int step = 1;
    int high = from;
    while (high < size && compare(keys[high], key) < 0) {
      low = high + 1;
      high = from + step;
      step <<= 1;
    }
    high = Math.min(high, size);
    // keys[low - 1] < key (or low == from) and (high == size or keys[high] >= key)
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (compare(keys[mid], key) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
