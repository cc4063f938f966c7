package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Deltas reproduce the state, however they are delivered. */
class BucketDeltaTest {

  @Provide
  Arbitrary<Bucket> buckets() {
    return CrdtArbitraries.buckets();
  }

  @Provide
  Arbitrary<List<RowUpdate>> batch() {
    return CrdtArbitraries.batches();
  }

  @Provide
  Arbitrary<List<List<RowUpdate>>> batches() {
    return CrdtArbitraries.batchSequences();
  }

  @Provide
  Arbitrary<BucketDelta> deltas() {
    return CrdtArbitraries.deltas();
  }

  /** Applies the batches like the Replicator does: take the delta, then reset it. */
  private static List<BucketDelta> applyCollectingDeltas(
      Bucket start, List<List<RowUpdate>> batches, Bucket[] end) {
    List<BucketDelta> deltas = new ArrayList<>();
    Bucket replica = start;
    for (List<RowUpdate> batch : batches) {
      replica = replica.mergeRows(batch);
      replica.deltaData().ifPresent(deltas::add);
      replica = replica.resetDelta();
    }
    end[0] = replica;
    return deltas;
  }

  @Property
  void deltasDuplicatedAndReorderedGiveTheSameState(
      @ForAll("buckets") Bucket common,
      @ForAll("batches") List<List<RowUpdate>> batches,
      @ForAll Random random) {
    Bucket[] source = new Bucket[1];
    List<BucketDelta> deltas = applyCollectingDeltas(common, batches, source);

    List<BucketDelta> deliveries = new ArrayList<>(deltas);
    for (BucketDelta delta : deltas) {
      if (random.nextInt(3) == 0) {
        deliveries.add(delta); // re-delivered
      }
    }
    Collections.shuffle(deliveries, random);

    Bucket target = common;
    for (BucketDelta delta : deliveries) {
      target = (Bucket) target.mergeDelta(delta);
    }
    assertThat(target).isEqualTo(source[0]);
  }

  @Property
  void deltasReachAReplicaThatAlsoHasOtherState(
      @ForAll("buckets") Bucket common,
      @ForAll("buckets") Bucket other,
      @ForAll("batches") List<List<RowUpdate>> batches,
      @ForAll Random random) {
    Bucket[] source = new Bucket[1];
    List<BucketDelta> deltas = new ArrayList<>(applyCollectingDeltas(common, batches, source));
    Collections.shuffle(deltas, random);
    Bucket target = common.mergeData(other);
    for (BucketDelta delta : deltas) {
      target = target.mergeDeltaData(delta);
    }
    assertThat(target).isEqualTo(source[0].mergeData(other));
  }

  @Property
  void groupedDeltasGiveTheSameStateAsSingleOnes(
      @ForAll("buckets") Bucket common, @ForAll("batches") List<List<RowUpdate>> batches) {
    // The Replicator merges consecutive deltas of a key into one group before sending.
    Bucket[] source = new Bucket[1];
    List<BucketDelta> deltas = applyCollectingDeltas(common, batches, source);
    BucketDelta group = BucketDelta.EMPTY;
    for (BucketDelta delta : deltas) {
      group = group.mergeData(delta);
    }
    assertThat(common.mergeDeltaData(group)).isEqualTo(source[0]);
    if (!deltas.isEmpty()) {
      assertThat(((Bucket) deltas.get(0).zero().mergeDelta(group)))
          .isEqualTo(Bucket.EMPTY.mergeDeltaData(group));
    }
  }

  @Property
  void theDeltaHoldsExactlyTheChangedRows(
      @ForAll("buckets") Bucket before, @ForAll("batch") List<RowUpdate> batch) {
    Bucket after = before.mergeRows(batch);
    Bucket changes = after.deltaData().map(BucketDelta::changes).orElse(Bucket.EMPTY);
    for (RowUpdate pair : CrdtArbitraries.allPairs(after)) {
      Row old = before.account(pair.accountId()).row(pair.writer());
      Row recorded = changes.account(pair.accountId()).row(pair.writer());
      if (pair.row().equals(old)) {
        assertThat(recorded).isEqualTo(Row.ZERO);
      } else {
        assertThat(recorded).isEqualTo(pair.row());
      }
    }
    assertThat(after.deltaData().isPresent()).isEqualTo(!after.equals(before));
  }

  @Property
  void deltaSizeIsTheNumberOfRows(@ForAll("deltas") BucketDelta delta) {
    assertThat(delta.deltaSize()).isEqualTo(delta.changes().rows().size());
  }

  @Property
  void deltaMergeIsASemilattice(
      @ForAll("deltas") BucketDelta a, @ForAll("deltas") BucketDelta b, @ForAll("deltas") BucketDelta c) {
    assertThat(a.mergeData(b)).isEqualTo(b.mergeData(a));
    assertThat(a.mergeData(b).mergeData(c)).isEqualTo(a.mergeData(b.mergeData(c)));
    assertThat(a.mergeData(a)).isEqualTo(a);
    assertThat(a.mergeData(b).changes()).isEqualTo(a.changes().mergeData(b.changes()));
  }
}
