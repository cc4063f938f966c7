package io.loyaltyledger.ledger.crdt;

import java.util.Objects;
import java.util.SortedMap;

/**
 * One writer's row for one account. Only that writer ever changes it, and every field only grows,
 * so two versions of a row merge by pointwise maximum. Immutable.
 *
 * <p>{@code sent} holds the escrow rights this writer transferred to other writers (amounts > 0).
 */
public final class Row {

  /** Upper bound of every field: leaves room to add a few rows' values without a long overflow. */
  public static final long MAX_TOTAL = 1L << 62;

  public static final Row ZERO = new Row(0, 0, 0, Transfers.NONE);

  private final long credited;
  private final long debited;
  private final long version;
  private final Transfers sent;

  private Row(long credited, long debited, long version, Transfers sent) {
    this.credited = credited;
    this.debited = debited;
    this.version = version;
    this.sent = sent;
  }

  /**
   * A validated row: every value in {@code 0..MAX_TOTAL}; {@code sent} entries of zero are
   * dropped, keys and values must not be null.
   */
  public static Row of(
      long credited, long debited, long version, SortedMap<WriterKey, Long> sent) {
    Objects.requireNonNull(sent, "sent");
    return of(credited, debited, version, Transfers.of(sent));
  }

  public static Row of(long credited, long debited, long version) {
    return of(credited, debited, version, Transfers.NONE);
  }

  static Row of(long credited, long debited, long version, Transfers sent) {
    requireAmount("credited", credited);
    requireAmount("debited", debited);
    requireAmount("version", version);
    if (credited == 0 && debited == 0 && version == 0 && sent.isEmpty()) {
      return ZERO;
    }
    return new Row(credited, debited, version, sent);
  }

  /** Trusted: the values come from a row that was validated already. */
  static Row trusted(long credited, long debited, long version, Transfers sent) {
    return new Row(credited, debited, version, sent);
  }

  static long requireAmount(String what, long value) {
    if (value < 0 || value > MAX_TOTAL) {
      throw new IllegalArgumentException(what + " must be in 0.." + MAX_TOTAL + ", was " + value);
    }
    return value;
  }

  public long credited() {
    return credited;
  }

  public long debited() {
    return debited;
  }

  public long version() {
    return version;
  }

  /** The transfers this writer made, by receiving writer: an unmodifiable copy. */
  public SortedMap<WriterKey, Long> sent() {
    return sent.asMap();
  }

  /** The amount transferred to {@code to}, 0 if none. */
  public long sent(WriterKey to) {
    return sent.get(to);
  }

  /** The sum of all transfers this writer made. */
  public long totalSent() {
    return sent.total();
  }

  Transfers transfers() {
    return sent;
  }

  public boolean isZero() {
    return this == ZERO || (credited == 0 && debited == 0 && version == 0 && sent.isEmpty());
  }

  /** Every field and every sent entry is at least {@code other}'s. */
  public boolean covers(Row other) {
    return other == this
        || (credited >= other.credited
            && debited >= other.debited
            && version >= other.version
            && sent.covers(other.sent));
  }

  /**
   * The pointwise maximum. Returns {@code this} or {@code other} itself when one covers the
   * other, so callers can tell "nothing changed" by identity and merged states share rows.
   */
  public Row merge(Row other) {
    if (covers(other)) {
      return this;
    }
    if (other.covers(this)) {
      return other;
    }
    return new Row(
        Math.max(credited, other.credited),
        Math.max(debited, other.debited),
        Math.max(version, other.version),
        sent.merge(other.sent));
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof Row other
            && credited == other.credited
            && debited == other.debited
            && version == other.version
            && sent.equals(other.sent));
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(credited);
    h = 31 * h + Long.hashCode(debited);
    h = 31 * h + Long.hashCode(version);
    return 31 * h + sent.hashCode();
  }

  @Override
  public String toString() {
    return "Row{credited="
        + credited
        + ", debited="
        + debited
        + ", version="
        + version
        + (sent.isEmpty() ? "" : ", sent=" + sent)
        + '}';
  }
}
