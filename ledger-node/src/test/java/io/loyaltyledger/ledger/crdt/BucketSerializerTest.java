package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.NotSerializableException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BucketSerializerTest {

  private static final WriterKey A = WriterKey.of("a", "12345678");
  private static final WriterKey B = WriterKey.of("b", "12345678");

  private static final Bucket SAMPLE =
      Bucket.EMPTY
          .mergeRow("x", A, Row.of(300, 2, 3, new TreeMap<>(Map.of(B, 1L))))
          .mergeRow("y", B, Row.of(0, 0, 1))
          .resetDelta();

  /** Version 1 of the format, pinned: these bytes must stay readable forever. */
  private static final String SAMPLE_V1 =
      "4201" // tag 'B', version 1
          + "02" + "0a" + hexOf("a@12345678") + "0a" + hexOf("b@12345678") // writers
          + "02" // accounts
          + "01" + hexOf("x") + "01" // "x", one row
          + "00" + "ac02" + "02" + "03" + "01" + "01" + "01" // by a: 300, 2, 3, sent b=1
          + "01" + hexOf("y") + "01" // "y", one row
          + "01" + "00" + "00" + "01" + "00"; // by b: 0, 0, 1, no transfers

  private static final BucketSerializer SERIALIZER = new BucketSerializer(null);

  private static String hexOf(String ascii) {
    return HexFormat.of().formatHex(ascii.getBytes());
  }

  @Test
  void version1IsStable() {
    assertThat(RawBytes.hex(BucketSerializer.encode(SAMPLE))).isEqualTo(SAMPLE_V1);
    assertThat(BucketSerializer.decodeBucket(HexFormat.of().parseHex(SAMPLE_V1)))
        .isEqualTo(SAMPLE);
  }

  @Test
  void deltasHaveTheirOwnTag() {
    byte[] bytes = BucketSerializer.encodeDelta(BucketDelta.of(SAMPLE));
    assertThat(RawBytes.hex(bytes)).isEqualTo("4401" + SAMPLE_V1.substring(4));
    assertThat(BucketSerializer.decodeDelta(bytes)).isEqualTo(BucketDelta.of(SAMPLE));
    assertThatThrownBy(() -> BucketSerializer.decodeBucket(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format tag");
  }

  @Test
  void emptyBucketIsFourBytes() {
    assertThat(RawBytes.hex(BucketSerializer.encode(Bucket.EMPTY))).isEqualTo("42010000");
    assertThat(BucketSerializer.decodeBucket(BucketSerializer.encode(Bucket.EMPTY)))
        .isSameAs(Bucket.EMPTY);
  }

  @Test
  void serializerDispatchesOnManifest() throws NotSerializableException {
    assertThat(SERIALIZER.identifier()).isEqualTo(7301);
    assertThat(SERIALIZER.manifest(SAMPLE)).isEqualTo("B");
    BucketDelta delta = BucketDelta.of(SAMPLE);
    assertThat(SERIALIZER.manifest(delta)).isEqualTo("D");
    assertThat(SERIALIZER.fromBinary(SERIALIZER.toBinary(SAMPLE), "B")).isEqualTo(SAMPLE);
    assertThat(SERIALIZER.fromBinary(SERIALIZER.toBinary(delta), "D")).isEqualTo(delta);
    assertThatThrownBy(() -> SERIALIZER.fromBinary(SERIALIZER.toBinary(SAMPLE), "Q"))
        .isInstanceOf(NotSerializableException.class);
    assertThatThrownBy(() -> SERIALIZER.fromBinary(SERIALIZER.toBinary(SAMPLE), "D"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("format tag");
    assertThatThrownBy(() -> SERIALIZER.toBinary("not a bucket"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyTruncationIsRejected() {
    byte[] bytes = BucketSerializer.encode(SAMPLE);
    for (int length = 0; length < bytes.length; length++) {
      byte[] prefix = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> BucketSerializer.decodeBucket(prefix))
          .as("prefix of %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("malformed ledger bucket");
    }
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] bytes = Arrays.copyOf(BucketSerializer.encode(SAMPLE), SAMPLE_V1.length() / 2 + 1);
    assertRejected(bytes, "trailing");
  }

  @Test
  void unknownVersionsAreRejected() {
    assertRejected(new RawBytes().bytes('B', 2, 0, 0).toArray(), "unsupported format version 2");
    assertRejected(new RawBytes().bytes('B', 0, 0, 0).toArray(), "unsupported format version 0");
  }

  @Test
  void hugeCountsAreRejectedBeforeAllocating() {
    assertRejected(new RawBytes().bytes('B', 1).varint(Integer.MAX_VALUE).toArray(), "writer count");
    assertRejected(new RawBytes().bytes('B', 1, 0).varint(1L << 40).toArray(), "account count");
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1).string("x")
            .varint(Integer.MAX_VALUE).bytes(new int[16]).toArray(),
        "row count");
    assertRejected(new RawBytes().bytes('B', 1, 1).varint(1L << 50).toArray(), "length");
  }

  @Test
  void nonCanonicalVarintsAreRejected() {
    assertRejected(new RawBytes().bytes('B', 1, 0x80, 0x00, 0).toArray(), "shortest form");
    assertRejected(
        new RawBytes().bytes('B', 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
            .toArray(),
        "longer than 63 bits");
  }

  @Test
  void valuesAboveTheMaximumAreRejected() {
    assertRejected(row(Row.MAX_TOTAL + 1, 0, 1), "credited");
    assertRejected(row(0, Row.MAX_TOTAL + 1, 1), "debited");
    assertRejected(row(0, 0, Row.MAX_TOTAL + 1), "version");
    assertThat(BucketSerializer.decodeBucket(row(Row.MAX_TOTAL, 0, 1)).account("x").earned())
        .isEqualTo(Row.MAX_TOTAL);
  }

  @Test
  void zeroRowsEmptyAccountsAndZeroTransfersAreRejected() {
    assertRejected(row(0, 0, 0), "zero row");
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1).string("x").bytes(0)
            .bytes(new int[8]).toArray(),
        "without rows");
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1).string("x").bytes(1)
            .bytes(0, 1, 0, 1, 1, 0, 0).toArray(),
        "zero transfer");
  }

  @Test
  void unsortedOrDuplicateEntriesAreRejected() {
    assertRejected(
        new RawBytes().bytes('B', 1, 2).string("b@12345678").string("a@12345678").bytes(0)
            .toArray(),
        "writer keys not strictly ascending");
    assertRejected(
        new RawBytes().bytes('B', 1, 2).string("a@12345678").string("a@12345678").bytes(0)
            .toArray(),
        "writer keys not strictly ascending");
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(2)
            .string("y").bytes(1, 0, 1, 0, 1, 0)
            .string("x").bytes(1, 0, 1, 0, 1, 0)
            .toArray(),
        "account ids not strictly ascending");
    assertRejected(
        new RawBytes().bytes('B', 1, 2).string("a@12345678").string("b@12345678").bytes(1)
            .string("x").bytes(2, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0)
            .toArray(),
        "rows not strictly ascending");
    assertRejected(
        new RawBytes().bytes('B', 1, 2).string("a@12345678").string("b@12345678").bytes(1)
            .string("x").bytes(1, 0, 1, 0, 1, 2, 1, 1, 1, 1)
            .toArray(),
        "transfers not strictly ascending");
  }

  @Test
  void badReferencesAndUnusedWritersAreRejected() {
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1).string("x")
            .bytes(1, 1, 1, 0, 1, 0).toArray(),
        "out of range");
    assertRejected(
        new RawBytes().bytes('B', 1, 2).string("a@12345678").string("b@12345678").bytes(1)
            .string("x").bytes(1, 0, 1, 0, 1, 0).toArray(),
        "never used");
  }

  @Test
  void badStringsAreRejected() {
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("not a key").toArray(), "invalid writer");
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1)
            .bytes(2, 0xc3, 0x28).bytes(1, 0, 1, 0, 1, 0).toArray(),
        "not valid UTF-8");
    // A surrogate encoded on its own (CESU-8 style) is not UTF-8.
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1)
            .bytes(3, 0xed, 0xa0, 0x80).bytes(1, 0, 1, 0, 1, 0).toArray(),
        "not valid UTF-8");
    // An overlong encoding of '/'.
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1)
            .bytes(2, 0xc0, 0xaf).bytes(1, 0, 1, 0, 1, 0).toArray(),
        "not valid UTF-8");
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1)
            .string("x".repeat(AccountIds.MAX_BYTES + 1)).bytes(1, 0, 1, 0, 1, 0).toArray(),
        "account id length");
    assertRejected(
        new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1)
            .bytes(0).bytes(1, 0, 1, 0, 1, 0).bytes(new int[8]).toArray(),
        "account id length 0");
  }

  @Test
  void theSerializerTurnsMalformedInputIntoNotSerializableException() {
    assertThatThrownBy(() -> SERIALIZER.fromBinary(new byte[] {'B', 1, 5}, "B"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("malformed ledger bucket")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rowEstimateIsAnUpperBoundForOneRow() {
    Row row = Row.of(300, 2, 3, new TreeMap<>(Map.of(B, 1L)));
    Bucket single = Bucket.EMPTY.mergeRow("x", A, row);
    int actual = BucketSerializer.encodeDelta(single.deltaData().orElseThrow()).length;
    int estimate =
        BucketSerializer.ESTIMATED_HEADER_BYTES
            + BucketSerializer.estimatedWriterBytes(A)
            + BucketSerializer.estimatedWriterBytes(B)
            + BucketSerializer.estimatedRowBytes("x", row);
    assertThat(estimate).isGreaterThanOrEqualTo(actual).isLessThan(actual + 20);
  }

  private static byte[] row(long credited, long debited, long version) {
    return new RawBytes().bytes('B', 1, 1).string("a@12345678").bytes(1).string("x").bytes(1, 0)
        .varint(credited).varint(debited).varint(version).bytes(0).toArray();
  }

  private static void assertRejected(byte[] bytes, String reason) {
    assertThatThrownBy(() -> BucketSerializer.decodeBucket(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed ledger bucket")
        .hasMessageContaining(reason);
  }
}
