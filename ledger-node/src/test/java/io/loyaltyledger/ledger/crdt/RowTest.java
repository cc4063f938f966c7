package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RowTest {

  private static final WriterKey A = WriterKey.of("order-1", "3f2a9c1e");
  private static final WriterKey B = WriterKey.of("order-2", "0badc0de");

  @Test
  void rejectsNegativeValues() {
    assertThatThrownBy(() -> Row.of(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Row.of(0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Row.of(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Row.of(0, 0, 0, new TreeMap<>(Map.of(A, -5L))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsUpToMaxTotalAndRejectsAbove() {
    long max = Row.MAX_TOTAL;
    assertThat(max).isEqualTo(1L << 62);
    Row row = Row.of(max, max, max, new TreeMap<>(Map.of(A, max)));
    assertThat(row.credited()).isEqualTo(max);
    assertThatThrownBy(() -> Row.of(max + 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Row.of(0, max + 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Row.of(0, 0, max + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Row.of(0, 0, 0, new TreeMap<>(Map.of(A, max + 1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Row.of(Long.MAX_VALUE, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dropsZeroTransfersAndCollapsesToZero() {
    Row row = Row.of(0, 0, 0, new TreeMap<>(Map.of(A, 0L, B, 0L)));
    assertThat(row).isSameAs(Row.ZERO);
    assertThat(row.isZero()).isTrue();
    Row withOne = Row.of(1, 0, 1, new TreeMap<>(Map.of(A, 0L, B, 7L)));
    assertThat(withOne.sent()).containsExactly(Map.entry(B, 7L));
    assertThat(withOne.sent(A)).isZero();
    assertThat(withOne.sent(B)).isEqualTo(7);
  }

  @Test
  void onlyTransfersMakeARowNonZero() {
    assertThat(Row.of(0, 0, 0, new TreeMap<>(Map.of(B, 1L))).isZero()).isFalse();
  }

  @Test
  void mergeIsPointwiseMaximum() {
    Row x = Row.of(10, 2, 5, new TreeMap<>(Map.of(A, 3L)));
    Row y = Row.of(7, 4, 6, new TreeMap<>(Map.of(A, 1L, B, 2L)));
    Row merged = x.merge(y);
    assertThat(merged).isEqualTo(Row.of(10, 4, 6, new TreeMap<>(Map.of(A, 3L, B, 2L))));
    assertThat(merged.totalSent()).isEqualTo(5);
    assertThat(merged.covers(x)).isTrue();
    assertThat(merged.covers(y)).isTrue();
    assertThat(x.covers(y)).isFalse();
  }

  @Test
  void mergeReturnsTheCoveringOperandItself() {
    Row small = Row.of(1, 1, 1);
    Row big = Row.of(2, 1, 3, new TreeMap<>(Map.of(A, 1L)));
    assertThat(big.merge(small)).isSameAs(big);
    assertThat(small.merge(big)).isSameAs(big);
    assertThat(Row.ZERO.merge(small)).isSameAs(small);
  }

  @Test
  void sentIsAnUnmodifiableCopy() {
    TreeMap<WriterKey, Long> sent = new TreeMap<>(Map.of(A, 3L));
    Row row = Row.of(0, 0, 1, sent);
    sent.put(B, 9L);
    assertThat(row.sent()).containsOnlyKeys(A);
    assertThatThrownBy(() -> row.sent().put(B, 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullsInSentAreRejected() {
    TreeMap<WriterKey, Long> sent = new TreeMap<>();
    sent.put(A, null);
    assertThatThrownBy(() -> Row.of(0, 0, 0, sent)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalRowsAreEqual() {
    Row x = Row.of(1, 2, 3, new TreeMap<>(Map.of(A, 4L)));
    Row y = Row.of(1, 2, 3, new TreeMap<>(Map.of(A, 4L)));
    assertThat(x).isEqualTo(y).hasSameHashCodeAs(y);
    assertThat(x).isNotEqualTo(Row.of(1, 2, 3));
    assertThat(x.toString()).contains("credited=1", "debited=2", "version=3", "order-1@3f2a9c1e=4");
  }
}
