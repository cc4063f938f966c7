package io.loyaltyledger.ledger.crdt;

import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One account's rows, one per writer that ever touched it, sorted by writer key; no zero rows.
 * Immutable, and laid out for a replica that holds millions of them: the counters of all rows in
 * one {@code long[]}, the writer keys in an array shared by every account with the same writers
 * ({@link WriterSets}), and transfers only when some row has any. {@link Row} objects are made
 * when asked for.
 *
 * <p>All sums use exact arithmetic: an overflow throws {@link ArithmeticException} instead of
 * silently wrapping a balance.
 */
public final class Account {

  public static final Account EMPTY = new Account(new WriterKey[0], new long[0], null);

  // Per row i: CREDITED, DEBITED and VERSION at FIELDS * i + offset.
  private static final int FIELDS = 3;
  private static final int CREDITED = 0;
  private static final int DEBITED = 1;
  private static final int VERSION = 2;

  private final WriterKey[] writers;
  private final long[] counters;
  // Null when no row has sent anything (almost every account); else one entry per row.
  private final Transfers[] sent;

  private Account(WriterKey[] writers, long[] counters, Transfers[] sent) {
    this.writers = writers;
    this.counters = counters;
    this.sent = sent;
  }

  /** Trusted: writers strictly ascending, rows non-zero. */
  static Account ofSorted(WriterKey[] writers, Row[] rows) {
    if (writers.length == 0) {
      return EMPTY;
    }
    Rows built = new Rows(rows.length);
    for (int i = 0; i < rows.length; i++) {
      built.add(writers[i], rows[i]);
    }
    return built.build(null);
  }

  /** The rows by writer: an unmodifiable copy. */
  public SortedMap<WriterKey, Row> rows() {
    TreeMap<WriterKey, Row> map = new TreeMap<>();
    for (int i = 0; i < writers.length; i++) {
      map.put(writers[i], rowAt(i));
    }
    return Collections.unmodifiableSortedMap(map);
  }

  /** The row of {@code writer}, {@link Row#ZERO} if it has none. */
  public Row row(WriterKey writer) {
    int i = SortedArrays.binarySearch(writers, writers.length, Objects.requireNonNull(writer));
    return i >= 0 ? rowAt(i) : Row.ZERO;
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
    return Row.trusted(creditedAt(index), debitedAt(index), versionAt(index), transfersAt(index));
  }

  long creditedAt(int index) {
    return counters[FIELDS * index + CREDITED];
  }

  long debitedAt(int index) {
    return counters[FIELDS * index + DEBITED];
  }

  long versionAt(int index) {
    return counters[FIELDS * index + VERSION];
  }

  Transfers transfersAt(int index) {
    return sent == null ? Transfers.NONE : sent[index];
  }

  /** Σ credited over all rows. */
  public long earned() {
    long sum = 0;
    for (int i = 0; i < writers.length; i++) {
      sum = Math.addExact(sum, creditedAt(i));
    }
    return sum;
  }

  /** Σ debited over all rows. */
  public long spent() {
    long sum = 0;
    for (int i = 0; i < writers.length; i++) {
      sum = Math.addExact(sum, debitedAt(i));
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
    if (sent != null) {
      for (Transfers transfers : sent) {
        received = Math.addExact(received, transfers.get(i));
      }
    }
    long available = Math.addExact(own.credited(), received);
    return Math.subtractExact(Math.subtractExact(available, own.totalSent()), own.debited());
  }

  /** This account with {@code row} merged into the row of {@code writer}. */
  public Account withRow(WriterKey writer, Row row) {
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(row, "row");
    if (row.isZero()) {
      return this;
    }
    return merge(ofSorted(new WriterKey[] {writer}, new Row[] {row}));
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
          || !rowCovers(i, other, j)) {
        return false;
      }
    }
    return true;
  }

  private boolean rowCovers(int i, Account other, int j) {
    return creditedAt(i) >= other.creditedAt(j)
        && debitedAt(i) >= other.debitedAt(j)
        && versionAt(i) >= other.versionAt(j)
        && transfersAt(i).covers(other.transfersAt(j));
  }

  /**
   * Per-writer {@link Row#merge}. Returns {@code this} or {@code other} itself when one covers
   * the other, so callers can tell "nothing changed" by identity and merged states share accounts.
   */
  public Account merge(Account other) {
    if (covers(other)) {
      return this;
    }
    if (other.covers(this)) {
      return other;
    }
    Rows merged = new Rows(writers.length + other.writers.length);
    int i = 0;
    int j = 0;
    while (i < writers.length || j < other.writers.length) {
      int c =
          i == writers.length
              ? 1
              : j == other.writers.length ? -1 : SortedArrays.compare(writers[i], other.writers[j]);
      if (c < 0) {
        merged.copy(this, i++);
      } else if (c > 0) {
        merged.copy(other, j++);
      } else {
        merged.add(
            writers[i],
            Math.max(creditedAt(i), other.creditedAt(j)),
            Math.max(debitedAt(i), other.debitedAt(j)),
            Math.max(versionAt(i), other.versionAt(j)),
            transfersAt(i).merge(other.transfersAt(j)));
        i++;
        j++;
      }
    }
    return merged.build(writers.length == merged.count ? writers : other.writers);
  }

  /** Collects rows in writer order; the writer array of the result is shared when it can be. */
  private static final class Rows {
    private final WriterKey[] writers;
    private final long[] counters;
    private Transfers[] sent;
    private int count;

    Rows(int capacity) {
      writers = new WriterKey[capacity];
      counters = new long[FIELDS * capacity];
    }

    void add(WriterKey writer, Row row) {
      add(writer, row.credited(), row.debited(), row.version(), row.transfers());
    }

    void copy(Account from, int index) {
      add(from.writers[index], from.creditedAt(index), from.debitedAt(index),
          from.versionAt(index), from.transfersAt(index));
    }

    void add(WriterKey writer, long credited, long debited, long version, Transfers transfers) {
      writers[count] = writer;
      counters[FIELDS * count + CREDITED] = credited;
      counters[FIELDS * count + DEBITED] = debited;
      counters[FIELDS * count + VERSION] = version;
      if (!transfers.isEmpty()) {
        if (sent == null) {
          sent = new Transfers[writers.length];
          Arrays.fill(sent, Transfers.NONE);
        }
        sent[count] = transfers;
      }
      count++;
    }

    /** The account; its writer array is {@code candidate} when that holds the same keys. */
    Account build(WriterKey[] candidate) {
      WriterKey[] keys =
          candidate != null && Arrays.equals(candidate, 0, candidate.length, writers, 0, count)
              ? candidate
              : WriterSets.intern(Arrays.copyOf(writers, count));
      long[] values = count * FIELDS == counters.length ? counters : Arrays.copyOf(counters, count * FIELDS);
      return new Account(keys, values, sent == null ? null : Arrays.copyOf(sent, count));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof Account other
            && Arrays.equals(writers, other.writers)
            && Arrays.equals(counters, other.counters)
            && Arrays.equals(sentOrNone(), other.sentOrNone()));
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(writers) + Arrays.hashCode(counters);
  }

  private Transfers[] sentOrNone() {
    if (sent != null) {
      return sent;
    }
    Transfers[] none = new Transfers[writers.length];
    Arrays.fill(none, Transfers.NONE);
    return none;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Account{");
    for (int i = 0; i < writers.length; i++) {
      s.append(i == 0 ? "" : ", ").append(writers[i]).append('=').append(rowAt(i));
    }
    return s.append('}').toString();
  }
}
