package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BucketTest {

  private static final WriterKey A = WriterKey.of("order-1", "3f2a9c1e");
  private static final WriterKey B = WriterKey.of("order-2", "0badc0de");

  @Test
  void mergeRowRecordsTheMergedRowInTheDelta() {
    Bucket bucket = Bucket.EMPTY.mergeRow("alice", A, Row.of(10, 0, 1)).resetDelta();
    Bucket updated = bucket.mergeRow("alice", A, Row.of(5, 3, 2));
    assertThat(updated.account("alice").row(A)).isEqualTo(Row.of(10, 3, 2));
    assertThat(updated.deltaData()).isPresent();
    BucketDelta delta = updated.deltaData().orElseThrow();
    assertThat(delta.deltaSize()).isEqualTo(1);
    assertThat(delta.changes().rows())
        .containsExactly(new RowUpdate("alice", A, Row.of(10, 3, 2)));
  }

  @Test
  void rowsThatChangeNothingStayOutOfTheDelta() {
    Bucket bucket = Bucket.EMPTY.mergeRow("alice", A, Row.of(10, 0, 1)).resetDelta();
    Bucket same = bucket.mergeRow("alice", A, Row.of(9, 0, 1));
    assertThat(same).isSameAs(bucket);
    assertThat(same.deltaData()).isEmpty();

    Bucket mixed =
        bucket.mergeRows(
            List.of(
                new RowUpdate("alice", A, Row.of(9, 0, 1)),
                new RowUpdate("bob", B, Row.of(1, 0, 1)),
                new RowUpdate("carol", A, Row.ZERO)));
    assertThat(mixed.deltaData().orElseThrow().changes().rows())
        .containsExactly(new RowUpdate("bob", B, Row.of(1, 0, 1)));
    assertThat(mixed.size()).isEqualTo(2);
  }

  @Test
  void recordingAllKeepsUnchangedRowsInTheDelta() {
    Bucket bucket = Bucket.EMPTY.mergeRow("alice", A, Row.of(10, 0, 1)).resetDelta();
    Bucket updated =
        bucket.mergeRowsRecordingAll(
            List.of(
                new RowUpdate("alice", A, Row.of(9, 0, 1)),
                new RowUpdate("carol", A, Row.ZERO)));
    assertThat(updated).isEqualTo(bucket);
    assertThat(updated.deltaData().orElseThrow().changes().rows())
        .containsExactly(new RowUpdate("alice", A, Row.of(10, 0, 1)));
  }

  @Test
  void deltaAccumulatesUntilReset() {
    Bucket bucket =
        Bucket.EMPTY.mergeRow("alice", A, Row.of(1, 0, 1)).mergeRow("bob", B, Row.of(2, 0, 1));
    assertThat(bucket.deltaData().orElseThrow().deltaSize()).isEqualTo(2);
    Bucket reset = bucket.resetDelta();
    assertThat(reset.deltaData()).isEmpty();
    assertThat(reset).isEqualTo(bucket);
    assertThat(reset.resetDelta()).isSameAs(reset);
  }

  @Test
  void mergingStatesKeepsTheReceiversDelta() {
    Bucket local = Bucket.EMPTY.mergeRow("alice", A, Row.of(1, 0, 1));
    Bucket remote = Bucket.EMPTY.mergeRow("bob", B, Row.of(2, 0, 1)).resetDelta();
    Bucket merged = local.mergeData(remote);
    assertThat(merged.size()).isEqualTo(2);
    assertThat(merged.deltaData().orElseThrow().changes().rows())
        .containsExactly(new RowUpdate("alice", A, Row.of(1, 0, 1)));
    assertThat(remote.mergeData(local.resetDelta()).deltaData()).isEmpty();
  }

  @Test
  void mergingAnUpdateBackIntoItsOriginReturnsTheUpdate() {
    // What the Replicator does after each Update: origin.merge(updated.resetDelta()).
    List<RowUpdate> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(new RowUpdate("account-" + i, A, Row.of(i + 1, 0, 1)));
    }
    Bucket origin = Bucket.EMPTY.mergeRows(rows).resetDelta();
    Bucket updated = origin.mergeRow("account-7", B, Row.of(5, 0, 1)).resetDelta();
    assertThat(origin.mergeData(updated)).isSameAs(updated);
    assertThat(updated.mergeData(origin)).isSameAs(updated);
    assertThat(updated.mergeDeltaData(BucketDelta.of(origin))).isSameAs(updated);
  }

  @Test
  void zeroRowsAndEmptyAccountsAreNotStored() {
    Bucket bucket = Bucket.EMPTY.mergeRow("alice", A, Row.ZERO);
    assertThat(bucket).isSameAs(Bucket.EMPTY);
    assertThat(bucket.size()).isZero();
    assertThat(bucket.account("alice")).isSameAs(Account.EMPTY);
  }

  @Test
  void accountsAreSortedAndUnmodifiable() {
    Bucket bucket =
        Bucket.EMPTY
            .mergeRow("carol", A, Row.of(1, 0, 1))
            .mergeRow("alice", A, Row.of(1, 0, 1))
            .mergeRow("bob", B, Row.of(1, 0, 1));
    assertThat(bucket.accounts().keySet()).containsExactly("alice", "bob", "carol");
    assertThat(bucket.rowCount()).isEqualTo(3);
    assertThatThrownBy(() -> bucket.accounts().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void invalidAccountIdsAreRejected() {
    Row row = Row.of(1, 0, 1);
    assertThatThrownBy(() -> Bucket.EMPTY.mergeRow("", A, row))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Bucket.EMPTY.mergeRow("bad\uD800", A, row))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Bucket.EMPTY.mergeRow("x".repeat(AccountIds.MAX_BYTES + 1), A, row))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Bucket.EMPTY.mergeRow(null, A, row))
        .isInstanceOf(NullPointerException.class);
    assertThat(Bucket.EMPTY.mergeRow("x".repeat(AccountIds.MAX_BYTES), A, row).size()).isOne();
  }

  @Test
  void replicatorStylePathsWork() {
    Bucket bucket =
        Bucket.EMPTY.mergeRow(
            "alice", A, Row.of(3, 1, 2, new TreeMap<>(Map.of(B, 1L))));
    BucketDelta delta = bucket.deltaData().orElseThrow();
    // A replica without the key starts from the delta's zero.
    assertThat(delta.zero().mergeDelta(delta)).isEqualTo(bucket);
    // The Replicator merges data and deltas through the untyped interfaces.
    assertThat(Bucket.EMPTY.merge(bucket)).isEqualTo(bucket);
    assertThat(delta.merge(BucketDelta.EMPTY)).isEqualTo(delta);
  }

  @Test
  void toStringShowsAccountsAndDelta() {
    Bucket bucket = Bucket.EMPTY.mergeRow("alice", A, Row.of(3, 1, 2));
    assertThat(bucket.toString()).contains("alice", "order-1@3f2a9c1e", "delta of 1 rows");
  }
}
