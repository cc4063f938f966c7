package io.loyaltyledger.ledger.crdt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Escrow rights of the bounded counter, computed by one writer from what it knows: its own row
 * (exact: only it writes that row) and its replica's copies of the other rows (each a lower bound
 * of the real row, since rows only grow). Received transfers are other rows' {@code sent[me]}
 * entries, so a stale replica can only under-count what a writer received, never over-count it:
 * the rights a writer computes never exceed its real rights.
 */
public final class Rights {

  /** A writer that holds rights for an account, as seen in a replica. */
  public record Holder(WriterKey writer, long rights) {}

  private Rights() {}

  /** The account as {@code me} knows it: the replica's rows with its own row from its database. */
  public static Account seenBy(Account replica, WriterKey me, Row own) {
    return replica.withRow(Objects.requireNonNull(me), Objects.requireNonNull(own));
  }

  /** The points {@code me} may spend without asking anyone: a lower bound of its real rights. */
  public static long of(Account replica, WriterKey me, Row own) {
    return seenBy(replica, me, own).rights(me);
  }

  /**
   * The other writers whose rights the view shows positive, richest first (ties by writer key,
   * so every node asks in the same order): the donors worth asking for a transfer.
   */
  public static List<Holder> donors(Account view, WriterKey me) {
    // A writer that only received transfers has no row yet: it appears in others' sent maps.
    TreeSet<WriterKey> writers = new TreeSet<>(view.rows().keySet());
    view.rows().values().forEach(row -> writers.addAll(row.sent().keySet()));
    List<Holder> holders = new ArrayList<>();
    for (WriterKey writer : writers) {
      if (writer.equals(me)) {
        continue;
      }
      long rights = view.rights(writer);
      if (rights > 0) {
        holders.add(new Holder(writer, rights));
      }
    }
    holders.sort(
        Comparator.comparingLong(Holder::rights).reversed().thenComparing(Holder::writer));
    return holders;
  }

  /** What a donor with {@code rights} gives when asked for {@code asked}: never beyond its rights. */
  public static long give(long rights, long asked) {
    if (asked < 0) {
      throw new IllegalArgumentException("asked must be >= 0: " + asked);
    }
    return Math.max(0, Math.min(rights, asked));
  }
}
