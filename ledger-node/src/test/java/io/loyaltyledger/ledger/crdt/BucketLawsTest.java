package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The join-semilattice laws, and what the rows of a merge must be. */
class BucketLawsTest {

  @Provide
  Arbitrary<Bucket> buckets() {
    return CrdtArbitraries.buckets();
  }

  @Provide
  Arbitrary<List<RowUpdate>> updates() {
    return CrdtArbitraries.rowUpdates().list().ofMaxSize(20);
  }

  @Property
  void mergeIsCommutative(@ForAll("buckets") Bucket a, @ForAll("buckets") Bucket b) {
    assertThat(a.mergeData(b)).isEqualTo(b.mergeData(a));
  }

  @Property
  void mergeIsAssociative(
      @ForAll("buckets") Bucket a, @ForAll("buckets") Bucket b, @ForAll("buckets") Bucket c) {
    assertThat(a.mergeData(b).mergeData(c)).isEqualTo(a.mergeData(b.mergeData(c)));
  }

  @Property
  void mergeIsIdempotent(@ForAll("buckets") Bucket a, @ForAll("buckets") Bucket b) {
    assertThat(a.mergeData(a)).isEqualTo(a);
    Bucket ab = a.mergeData(b);
    assertThat(ab.mergeData(b)).isEqualTo(ab);
    assertThat(ab.mergeData(a)).isEqualTo(ab);
  }

  @Property
  void emptyIsTheIdentity(@ForAll("buckets") Bucket a) {
    assertThat(Bucket.EMPTY.mergeData(a)).isEqualTo(a);
    assertThat(a.mergeData(Bucket.EMPTY)).isEqualTo(a);
  }

  @Property
  void everyRowOfAMergeIsThePointwiseMaximum(
      @ForAll("buckets") Bucket a, @ForAll("buckets") Bucket b) {
    Bucket merged = a.mergeData(b);
    for (RowUpdate pair : CrdtArbitraries.allPairs(merged)) {
      Row expected =
          a.account(pair.accountId()).row(pair.writer())
              .merge(b.account(pair.accountId()).row(pair.writer()));
      assertThat(pair.row()).isEqualTo(expected);
    }
    for (Account account : merged.accounts().values()) {
      assertThat(account.isEmpty()).isFalse();
      assertThat(account.rows().values()).noneMatch(Row::isZero);
    }
  }

  @Property
  void rowOrderDoesNotMatter(@ForAll("updates") List<RowUpdate> updates, @ForAll Random random) {
    List<RowUpdate> shuffled = new ArrayList<>(updates);
    Collections.shuffle(shuffled, random);
    Bucket batch = Bucket.EMPTY.mergeRows(updates);
    Bucket oneByOne = Bucket.EMPTY;
    for (RowUpdate update : shuffled) {
      oneByOne = oneByOne.mergeRow(update.accountId(), update.writer(), update.row());
    }
    assertThat(Bucket.EMPTY.mergeRows(shuffled)).isEqualTo(batch);
    assertThat(oneByOne).isEqualTo(batch);
  }

  @Property
  void mergeRowsEqualsMergingTheRowsAsAState(
      @ForAll("buckets") Bucket a, @ForAll("updates") List<RowUpdate> updates) {
    assertThat(a.mergeRows(updates)).isEqualTo(a.mergeData(Bucket.EMPTY.mergeRows(updates)));
  }

  @Property
  void equalStatesHaveEqualHashCodes(@ForAll("buckets") Bucket a, @ForAll("buckets") Bucket b) {
    Bucket ab = a.mergeData(b);
    Bucket ba = b.mergeData(a);
    assertThat(ab.hashCode()).isEqualTo(ba.hashCode());
  }

  /** Rows over a thousand account ids: big buckets, small or big deltas. */
  @Provide
  Arbitrary<List<RowUpdate>> manyAccounts() {
    Arbitrary<RowUpdate> row =
        Combinators.combine(
                Arbitraries.integers().between(0, 999).map(i -> "acct-" + i),
                CrdtArbitraries.writers(),
                CrdtArbitraries.rows())
            .as(RowUpdate::new);
    return Arbitraries.oneOf(row.list().ofMaxSize(5), row.list().ofMaxSize(400));
  }

  @Property(tries = 300)
  void bigMergesMatchAReferenceModel(
      @ForAll("manyAccounts") List<RowUpdate> left, @ForAll("manyAccounts") List<RowUpdate> right) {
    Bucket a = Bucket.EMPTY.mergeRows(left).resetDelta();
    Bucket b = Bucket.EMPTY.mergeRows(right).resetDelta();

    Map<String, Map<WriterKey, Row>> reference = new TreeMap<>();
    for (List<RowUpdate> rows : List.of(left, right)) {
      for (RowUpdate row : rows) {
        if (!row.row().isZero()) {
          reference
              .computeIfAbsent(row.accountId(), id -> new TreeMap<>())
              .merge(row.writer(), row.row(), Row::merge);
        }
      }
    }
    List<RowUpdate> expected = new ArrayList<>();
    reference.forEach(
        (id, rows) -> rows.forEach((writer, row) -> expected.add(new RowUpdate(id, writer, row))));

    assertThat(a.mergeData(b).rows()).isEqualTo(expected);
    assertThat(b.mergeData(a).rows()).isEqualTo(expected);
    assertThat(a.mergeRows(right).rows()).isEqualTo(expected);
    assertThat(a.mergeDeltaData(BucketDelta.of(b)).rows()).isEqualTo(expected);
  }
}
