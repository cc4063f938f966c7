package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedBucketsTest {

  private static final WriterKey W = WriterKey.parse("order-1@3f2a9c1e3f2a9c1e3f2a9c1e3f2a9c1e");

  private static Bucket bucketOf(String... accounts) {
    Bucket b = Bucket.EMPTY;
    for (int i = 0; i < accounts.length; i++) {
      b = b.mergeRow(accounts[i], W, Row.of(i + 1, 0, i + 1));
    }
    return b.resetDelta();
  }

  @Test
  void encodesAnInstanceOnceAndGivesTheCanonicalBytes() {
    EncodedBuckets cache = new EncodedBuckets(1 << 20);
    Bucket bucket = bucketOf("a", "b", "c");
    byte[] first = cache.encode(bucket);
    assertThat(first).isEqualTo(BucketSerializer.encode(bucket));
    assertThat(cache.encode(bucket)).isSameAs(first);
    // An equal state in another instance encodes to equal bytes.
    assertThat(cache.encode(bucketOf("a", "b", "c"))).isEqualTo(first);
  }

  @Test
  void holdsAtMostItsBudgetAndLetsTheOldestGo() {
    Bucket a = bucketOf("a1", "a2");
    Bucket b = bucketOf("b1", "b2");
    Bucket c = bucketOf("c1", "c2");
    int size = BucketSerializer.encode(a).length;
    EncodedBuckets cache = new EncodedBuckets(8L * size); // a bucket may use a quarter of it
    byte[] bytesOfA = cache.encode(a);
    for (int i = 0; i < 8; i++) {
      cache.encode(bucketOf("x" + i, "y" + i));
    }
    assertThat(cache.heldBytes()).isLessThanOrEqualTo(8L * size);
    assertThat(cache.encode(a)).isNotSameAs(bytesOfA).isEqualTo(bytesOfA);
    assertThat(cache.encode(b)).isSameAs(cache.encode(b));
    assertThat(cache.encode(c)).isEqualTo(BucketSerializer.encode(c));
  }

  @Test
  void noCacheWithoutBudget() {
    EncodedBuckets cache = new EncodedBuckets(0);
    Bucket bucket = bucketOf("a");
    assertThat(cache.encode(bucket)).isNotSameAs(cache.encode(bucket));
    assertThat(cache.heldBytes()).isZero();
  }

  @Test
  void theDeltaOfAnUpdatedBucketIsNotPartOfTheCachedState() {
    EncodedBuckets cache = new EncodedBuckets(1 << 20);
    Bucket bucket = bucketOf("a");
    byte[] before = cache.encode(bucket);
    Bucket updated = bucket.mergeRows(List.of(new RowUpdate("b", W, Row.of(5, 0, 1))));
    assertThat(cache.encode(updated)).isEqualTo(BucketSerializer.encode(updated)).isNotEqualTo(before);
  }
}
