package io.loyaltyledger.ledger.crdt;

import akka.cluster.ddata.AbstractReplicatedData;
import akka.cluster.ddata.ReplicatedDelta;
import akka.cluster.ddata.ReplicatedDeltaSize;
import java.util.Objects;

/**
 * The rows one or more updates changed, gossiped instead of the whole bucket. Merging is the
 * same pointwise maximum as for buckets, so deltas may arrive duplicated, reordered or late.
 * Its size for Akka's {@code max-delta-size} is the number of rows it carries.
 */
public final class BucketDelta extends AbstractReplicatedData<BucketDelta>
    implements ReplicatedDelta, ReplicatedDeltaSize {

  public static final BucketDelta EMPTY = new BucketDelta(Bucket.EMPTY);

  private final Bucket changes;
  private final int rowCount;

  private BucketDelta(Bucket changes) {
    this.changes = changes;
    this.rowCount = changes.rowCount();
  }

  public static BucketDelta of(Bucket changes) {
    Bucket rows = Objects.requireNonNull(changes, "changes").resetDelta();
    return rows.isEmpty() ? EMPTY : new BucketDelta(rows);
  }

  /** The changed rows, as a bucket without delta of its own. */
  public Bucket changes() {
    return changes;
  }

  @Override
  public Bucket zero() {
    return Bucket.EMPTY;
  }

  @Override
  public BucketDelta mergeData(BucketDelta other) {
    Bucket merged = changes.mergeData(other.changes);
    if (merged == changes) {
      return this;
    }
    return merged == other.changes ? other : new BucketDelta(merged);
  }

  @Override
  public int deltaSize() {
    return rowCount;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof BucketDelta other && changes.equals(other.changes));
  }

  @Override
  public int hashCode() {
    return changes.hashCode();
  }

  @Override
  public String toString() {
    return "BucketDelta{" + rowCount + " rows: " + changes + '}';
  }
}
