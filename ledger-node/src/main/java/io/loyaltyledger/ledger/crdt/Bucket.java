package io.loyaltyledger.ledger.crdt;

import akka.cluster.ddata.AbstractDeltaReplicatedData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The replicated value of one Distributed Data key: the accounts of one bucket, sorted by account
 * id, no empty accounts. A delta-CRDT whose merge is the pointwise maximum per (account, writer):
 * commutative, associative and idempotent, so deltas need no causal delivery.
 *
 * <p>Stored as two sorted parallel arrays (compact, binary-searchable). Updates copy the arrays
 * but share every untouched account, so merging the updated bucket back into its origin — what
 * the Replicator does after each {@code Update} — is a cheap walk that returns an existing
 * instance.
 *
 * <p>The delta is the rows recorded by {@link #mergeRows} since the last {@link #resetDelta}. It is
 * transient: not part of {@link #equals}, never serialized.
 */
public final class Bucket extends AbstractDeltaReplicatedData<Bucket, BucketDelta> {

  public static final Bucket EMPTY = new Bucket(new String[0], new Account[0], null);

  private static final Comparator<RowUpdate> ROW_ORDER =
      Comparator.comparing(RowUpdate::accountId).thenComparing(RowUpdate::writer);

  private final String[] ids;
  private final Account[] accounts;
  /** Rows recorded since the last reset, as a bucket without delta; null when none. */
  private final Bucket delta;

  private Bucket(String[] ids, Account[] accounts, Bucket delta) {
    this.ids = ids;
    this.accounts = accounts;
    this.delta = delta;
  }

  /** Trusted: ids strictly ascending and valid, accounts non-empty; the arrays are adopted. */
  static Bucket ofSorted(String[] ids, Account[] accounts) {
    return ids.length == 0 ? EMPTY : new Bucket(ids, accounts, null);
  }

  /** The account, {@link Account#EMPTY} if this bucket has none by that id. */
  public Account account(String accountId) {
    int i = SortedArrays.binarySearch(ids, ids.length, Objects.requireNonNull(accountId));
    return i >= 0 ? accounts[i] : Account.EMPTY;
  }

  /** The accounts by id: an unmodifiable copy. */
  public SortedMap<String, Account> accounts() {
    TreeMap<String, Account> map = new TreeMap<>();
    for (int i = 0; i < ids.length; i++) {
      map.put(ids[i], accounts[i]);
    }
    return Collections.unmodifiableSortedMap(map);
  }

  /** The number of accounts. */
  public int size() {
    return ids.length;
  }

  public boolean isEmpty() {
    return ids.length == 0;
  }

  /** The number of (account, writer) rows. */
  public int rowCount() {
    int rows = 0;
    for (Account account : accounts) {
      rows += account.size();
    }
    return rows;
  }

  /** Every row, in (account id, writer) order. */
  public List<RowUpdate> rows() {
    List<RowUpdate> rows = new ArrayList<>();
    for (int a = 0; a < ids.length; a++) {
      Account account = accounts[a];
      for (int r = 0; r < account.size(); r++) {
        rows.add(new RowUpdate(ids[a], account.writerAt(r), account.rowAt(r)));
      }
    }
    return rows;
  }

  String idAt(int index) {
    return ids[index];
  }

  Account accountAt(int index) {
    return accounts[index];
  }

  /** Merges one row in and records it in the delta if it changed anything. */
  public Bucket mergeRow(String accountId, WriterKey writer, Row row) {
    return mergeRows(List.of(new RowUpdate(accountId, writer, row)));
  }

  /**
   * Merges the rows in and records in the delta those that changed this bucket (their merged
   * values), so an {@code Update} gossips only what it changed. Costs O(k log k + k log n) plus
   * one copy of the two arrays.
   */
  public Bucket mergeRows(Collection<RowUpdate> rows) {
    return mergeRows(rows, false);
  }

  /**
   * Like {@link #mergeRows} but records every given (non-zero) row in the delta, changed or not.
   * Use it for an {@code Update} with {@code WriteMajority}/{@code WriteAll} whose
   * acknowledgement must cover rows this replica already holds: the Replicator sends only the
   * delta to the other replicas, so a row left out of it is not covered by their acks.
   */
  public Bucket mergeRowsRecordingAll(Collection<RowUpdate> rows) {
    return mergeRows(rows, true);
  }

  private Bucket mergeRows(Collection<RowUpdate> rows, boolean recordUnchanged) {
    RowUpdate[] sorted = rows.toArray(new RowUpdate[0]);
    for (RowUpdate update : sorted) {
      Objects.requireNonNull(update, "row update");
    }
    Arrays.sort(sorted, ROW_ORDER);
    BucketBuilder changes = new BucketBuilder();
    for (RowUpdate update : sorted) {
      Row existing = account(update.accountId()).row(update.writer());
      Row merged = existing.merge(update.row());
      if (merged != existing || recordUnchanged) {
        changes.add(update.accountId(), update.writer(), merged);
      }
    }
    Bucket changed = changes.build();
    if (changed.isEmpty()) {
      return this;
    }
    Bucket newDelta = delta == null ? changed : join(delta, changed, null);
    return join(this, changed, newDelta);
  }

  @Override
  public Bucket mergeData(Bucket other) {
    return join(this, other, delta);
  }

  @Override
  public Optional<BucketDelta> deltaData() {
    return delta == null ? Optional.empty() : Optional.of(BucketDelta.of(delta));
  }

  @Override
  public Bucket mergeDeltaData(BucketDelta other) {
    return join(this, other.changes(), delta);
  }

  @Override
  public Bucket resetDelta() {
    return delta == null ? this : new Bucket(ids, accounts, null);
  }

  private Bucket withDelta(Bucket newDelta) {
    return newDelta == delta ? this : new Bucket(ids, accounts, newDelta);
  }

  /**
   * The state {@code a ⊔ b}, carrying {@code resultDelta}. Walks b's ids through a's with
   * galloping search: O(m log(n/m)) comparisons plus the copy. Returns a or b itself (with the
   * delta swapped in) when the join equals it.
   */
  private static Bucket join(Bucket a, Bucket b, Bucket resultDelta) {
    int n = a.ids.length;
    int m = b.ids.length;
    if (a == b || m == 0) {
      return a.withDelta(resultDelta);
    }
    if (n == 0) {
      return b.withDelta(resultDelta);
    }
    String[] ids = new String[n + m];
    Account[] accounts = new Account[n + m];
    boolean sameAsA = true;
    boolean sameAsB = true;
    int i = 0;
    int k = 0;
    for (int j = 0; j < m; j++) {
      String id = b.ids[j];
      int at = SortedArrays.gallop(a.ids, i, n, id);
      if (at > i) {
        System.arraycopy(a.ids, i, ids, k, at - i);
        System.arraycopy(a.accounts, i, accounts, k, at - i);
        k += at - i;
        i = at;
        sameAsB = false;
      }
      if (i < n && SortedArrays.compare(a.ids[i], id) == 0) {
        Account merged = a.accounts[i].merge(b.accounts[j]);
        sameAsA &= merged == a.accounts[i];
        sameAsB &= merged == b.accounts[j];
        ids[k] = a.ids[i];
        accounts[k++] = merged;
        i++;
      } else {
        sameAsA = false;
        ids[k] = id;
        accounts[k++] = b.accounts[j];
      }
    }
    if (i < n) {
      System.arraycopy(a.ids, i, ids, k, n - i);
      System.arraycopy(a.accounts, i, accounts, k, n - i);
      k += n - i;
      sameAsB = false;
    }
    if (sameAsA) {
      return a.withDelta(resultDelta);
    }
    if (sameAsB) {
      return b.withDelta(resultDelta);
    }
    return new Bucket(Arrays.copyOf(ids, k), Arrays.copyOf(accounts, k), resultDelta);
  }

  /** Equal states: the delta is not part of the state. */
  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof Bucket other
            && Arrays.equals(ids, other.ids)
            && Arrays.equals(accounts, other.accounts));
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Arrays.hashCode(accounts);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Bucket{");
    for (int i = 0; i < ids.length; i++) {
      s.append(i == 0 ? "" : ", ").append(ids[i]).append('=').append(accounts[i]);
    }
    s.append('}');
    if (delta != null) {
      s.append(" with delta of ").append(delta.rowCount()).append(" rows");
    }
    return s.toString();
  }
}
