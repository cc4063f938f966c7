package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips, canonical bytes, the size estimate, and the decoder's robustness. */
class BucketSerializerPropertyTest {

  @Provide
  Arbitrary<Bucket> buckets() {
    return CrdtArbitraries.buckets();
  }

  @Provide
  Arbitrary<BucketDelta> deltas() {
    return CrdtArbitraries.deltas();
  }

  @Provide
  Arbitrary<List<RowUpdate>> updates() {
    return CrdtArbitraries.rowUpdates().list().ofMaxSize(20);
  }

  @Property
  void bucketsRoundTrip(@ForAll("buckets") Bucket bucket) {
    byte[] bytes = BucketSerializer.encode(bucket);
    Bucket decoded = BucketSerializer.decodeBucket(bytes);
    assertThat(decoded).isEqualTo(bucket);
    assertThat(BucketSerializer.encode(decoded)).isEqualTo(bytes);
    assertThat(decoded.deltaData()).isEmpty();
  }

  @Property
  void deltasRoundTrip(@ForAll("deltas") BucketDelta delta) {
    byte[] bytes = BucketSerializer.encodeDelta(delta);
    BucketDelta decoded = BucketSerializer.decodeDelta(bytes);
    assertThat(decoded).isEqualTo(delta);
    assertThat(decoded.deltaSize()).isEqualTo(delta.deltaSize());
    assertThat(BucketSerializer.encodeDelta(decoded)).isEqualTo(bytes);
  }

  @Property
  void equalStatesGiveEqualBytesWhateverTheConstruction(
      @ForAll("updates") List<RowUpdate> updates, @ForAll Random random) {
    Bucket inOneBatch = Bucket.EMPTY.mergeRows(updates);

    // The same rows, shuffled, split over two replicas, joined by state and by delta.
    List<RowUpdate> shuffled = new ArrayList<>(updates);
    Collections.shuffle(shuffled, random);
    int cut = random.nextInt(shuffled.size() + 1);
    Bucket left = Bucket.EMPTY.mergeRows(shuffled.subList(0, cut));
    Bucket right = Bucket.EMPTY.mergeRows(shuffled.subList(cut, shuffled.size()));
    Bucket byState = right.resetDelta().mergeData(left.resetDelta());
    Bucket byDelta =
        right.deltaData().map(d -> left.mergeDeltaData(d)).orElse(left).resetDelta();

    byte[] expected = BucketSerializer.encode(inOneBatch);
    assertThat(BucketSerializer.encode(byState)).isEqualTo(expected);
    assertThat(BucketSerializer.encode(byDelta)).isEqualTo(expected);
    assertThat(BucketSerializer.encode(inOneBatch.mergeData(byState))).isEqualTo(expected);
  }

  @Property
  void equalBytesMeanEqualStates(@ForAll("buckets") Bucket a, @ForAll("buckets") Bucket b) {
    boolean sameBytes = Arrays.equals(BucketSerializer.encode(a), BucketSerializer.encode(b));
    assertThat(sameBytes).isEqualTo(a.equals(b));
  }

  @Property
  void theEstimateBoundsTheSerializedDelta(@ForAll("deltas") BucketDelta delta) {
    Set<WriterKey> writers = new TreeSet<>();
    int estimate = BucketSerializer.ESTIMATED_HEADER_BYTES;
    for (RowUpdate row : delta.changes().rows()) {
      estimate += BucketSerializer.estimatedRowBytes(row.accountId(), row.row());
      writers.add(row.writer());
      writers.addAll(row.row().sent().keySet());
    }
    for (WriterKey writer : writers) {
      estimate += BucketSerializer.estimatedWriterBytes(writer);
    }
    assertThat(BucketSerializer.encodeDelta(delta).length).isLessThanOrEqualTo(estimate);
  }

  /**
   * Corrupted input is either rejected with IllegalArgumentException or is itself a canonical
   * encoding (re-encodes to the same bytes); nothing else, and never a hang.
   */
  @Property(tries = 2000)
  void corruptedBytesAreRejectedOrCanonical(
      @ForAll("buckets") Bucket bucket, @ForAll Random random) {
    byte[] bytes = corrupt(BucketSerializer.encode(bucket), random);
    Bucket decoded;
    try {
      decoded = BucketSerializer.decodeBucket(bytes);
    } catch (IllegalArgumentException rejected) {
      assertThat(rejected).hasMessageContaining("malformed ledger bucket");
      return;
    }
    assertThat(BucketSerializer.encode(decoded)).isEqualTo(bytes);
    // and well-formed: sorted, no duplicates, no zero rows
    assertThat(Bucket.EMPTY.mergeRows(decoded.rows())).isEqualTo(decoded);
  }

  private static byte[] corrupt(byte[] bytes, Random random) {
    byte[] copy = bytes.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
      }
      case 1 -> {
        copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        return copy;
      }
      case 2 -> {
        int at = random.nextInt(copy.length);
        byte[] shorter = new byte[copy.length - 1];
        System.arraycopy(copy, 0, shorter, 0, at);
        System.arraycopy(copy, at + 1, shorter, at, copy.length - at - 1);
        return shorter;
      }
      default -> {
        int at = random.nextInt(copy.length + 1);
        byte[] longer = new byte[copy.length + 1];
        System.arraycopy(copy, 0, longer, 0, at);
        longer[at] = (byte) random.nextInt(256);
        System.arraycopy(copy, at, longer, at + 1, copy.length - at);
        return longer;
      }
    }
  }
}
