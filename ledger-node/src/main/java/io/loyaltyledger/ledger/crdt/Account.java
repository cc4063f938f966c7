package io.loyaltyledger.ledger.crdt;

import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One account's rows, one per writer that ever touched it, sorted by writer key; no zero rows.
 * Stored as two sorted parallel arrays to keep the memory per account small. Immutable.
 *
 * <p>All sums use exact arithmetic: an overflow throws {@link ArithmeticException} instead of
 * silently wrapping a balance.
 */
public final class Account {

  public static final Account EMPTY = new Account(new WriterKey[0], new Row[0]);

  private final WriterKey[] writers;
  private final Row[] rows;

  private Account(WriterKey[] writers, Row[] rows) {
    this.writers = writers;
    this.rows = rows;
  }

  /** Trusted: writers strictly ascending, rows non-zero; the arrays are adopted. */
  static Account ofSorted(WriterKey[] writers, Row[] rows) {
    return writers.length == 0 ? EMPTY : new Account(writers, rows);
  }

  /** The rows by writer: an unmodifiable copy. */
  public SortedMap<WriterKey, Row> rows() {
    TreeMap<WriterKey, Row> map = new TreeMap<>();
    for (int i = 0; i < writers.length; i++) {
      map.put(writers[i], rows[i]);
    }
    return Collections.unmodifiableSortedMap(map);
  }

  /** The row of {@code writer}, {@link Row#ZERO} if it has none. */
  public Row row(WriterKey writer) {
    int i = SortedArrays.binarySearch(writers, writers.length, Objects.requireNonNull(writer));
    return i >= 0 ? rows[i] : Row.ZERO;
  }

  public boolean isEmpty() {
    return writers.length == 0;
  }

  /** The number of rows. */
  public int size() {
    return writers.length;
  }

  WriterKey writerAt(int index) {
    return writers[index];
  }

  Row rowAt(int index) {
    return rows[index];
  }

  /** Σ credited over all rows. */
  public long earned() {
    long sum = 0;
    for (Row row : rows) {
      sum = Math.addExact(sum, row.credited());
    }
    return sum;
  }

  /** Σ debited over all rows. */
  public long spent() {
    long sum = 0;
    for (Row row : rows) {
      sum = Math.addExact(sum, row.debited());
    }
    return sum;
  }

  /** earned − spent; negative when compensations overdrew the account. */
  public long balance() {
    return Math.subtractExact(earned(), spent());
  }

  /**
   * The points writer {@code i} may spend without asking anyone: {@code credited_i + Σ_j
   * sent_j[i] − Σ_j sent_i[j] − debited_i}. Negative when forced debits overdrew its share.
   */
  public long rights(WriterKey i) {
    Row own = row(i);
    long received = 0;
    for (Row row : rows) {
      received = Math.addExact(received, row.sent(i));
    }
    long available = Math.addExact(own.credited(), received);
    return Math.subtractExact(Math.subtractExact(available, own.totalSent()), own.debited());
  }

  /** This account with {@code row} merged into the row of {@code writer}. */
  public Account withRow(WriterKey writer, Row row) {
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(row, "row");
    int i = SortedArrays.binarySearch(writers, writers.length, writer);
    if (i >= 0) {
      Row merged = rows[i].merge(row);
      if (merged == rows[i]) {
        return this;
      }
      Row[] newRows = rows.clone();
      newRows[i] = merged;
      return new Account(writers, newRows);
    }
    if (row.isZero()) {
      return this;
    }
    int at = -i - 1;
    WriterKey[] newWriters = new WriterKey[writers.length + 1];
    Row[] newRows = new Row[rows.length + 1];
    System.arraycopy(writers, 0, newWriters, 0, at);
    System.arraycopy(rows, 0, newRows, 0, at);
    newWriters[at] = writer;
    newRows[at] = row;
    System.arraycopy(writers, at, newWriters, at + 1, writers.length - at);
    System.arraycopy(rows, at, newRows, at + 1, rows.length - at);
    return new Account(newWriters, newRows);
  }

  /** Every row of {@code other} is covered by ours. */
  public boolean covers(Account other) {
    if (other == this) {
      return true;
    }
    int i = 0;
    for (int j = 0; j < other.writers.length; j++) {
      i = SortedArrays.gallop(writers, i, writers.length, other.writers[j]);
      if (i == writers.length
          || SortedArrays.compare(writers[i], other.writers[j]) != 0
          || !rows[i].covers(other.rows[j])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Per-writer {@link Row#merge}. Returns {@code this} or {@code other} itself when one covers
   * the other; on equal keys our writer key instance is kept, so merged states share keys.
   */
  public Account merge(Account other) {
    if (covers(other)) {
      return this;
    }
    if (other.covers(this)) {
      return other;
    }
    WriterKey[] keys = new WriterKey[writers.length + other.writers.length];
    Row[] values = new Row[keys.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < writers.length || j < other.writers.length) {
      int c =
          i == writers.length
              ? 1
              : j == other.writers.length ? -1 : SortedArrays.compare(writers[i], other.writers[j]);
      if (c < 0) {
        keys[k] = writers[i];
        values[k++] = rows[i++];
      } else if (c > 0) {
        keys[k] = other.writers[j];
        values[k++] = other.rows[j++];
      } else {
        keys[k] = writers[i];
        values[k++] = rows[i++].merge(other.rows[j++]);
      }
    }
    return new Account(Arrays.copyOf(keys, k), Arrays.copyOf(values, k));
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof Account other
            && Arrays.equals(writers, other.writers)
            && Arrays.equals(rows, other.rows));
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(writers) + Arrays.hashCode(rows);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Account{");
    for (int i = 0; i < writers.length; i++) {
      s.append(i == 0 ? "" : ", ").append(writers[i]).append('=').append(rows[i]);
    }
    return s.append('}').toString();
  }
}
