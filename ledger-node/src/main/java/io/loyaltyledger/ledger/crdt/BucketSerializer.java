package io.loyaltyledger.ledger.crdt;

import akka.actor.ExtendedActorSystem;
import akka.serialization.SerializerWithStringManifest;
import java.io.NotSerializableException;

/**
 * Akka serializer for {@link Bucket} (manifest "B") and {@link BucketDelta} ("D") in the compact,
 * canonical, versioned format of {@link BucketFormat}. The static methods work without an actor
 * system.
 */
public final class BucketSerializer extends SerializerWithStringManifest {

  public static final int IDENTIFIER = 7301;
  public static final String BUCKET_MANIFEST = "B";
  public static final String DELTA_MANIFEST = "D";

  /** Bytes of a serialized delta besides its writer keys and rows: tag, version, two counts. */
  public static final int ESTIMATED_HEADER_BYTES = 2 + 2 * BucketFormat.MAX_SMALL_VARINT_BYTES;

  /** Akka instantiates serializers with the actor system; this one needs nothing from it. */
  public BucketSerializer(ExtendedActorSystem system) {}

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof Bucket) {
      return BUCKET_MANIFEST;
    }
    if (o instanceof BucketDelta) {
      return DELTA_MANIFEST;
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof Bucket bucket) {
      return encode(bucket);
    }
    if (o instanceof BucketDelta delta) {
      return encodeDelta(delta);
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      return switch (manifest) {
        case BUCKET_MANIFEST -> decodeBucket(bytes);
        case DELTA_MANIFEST -> decodeDelta(bytes);
        default -> throw new NotSerializableException("unknown manifest [" + manifest + "]");
      };
    } catch (IllegalArgumentException e) {
      NotSerializableException failure = new NotSerializableException(e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }

  /** The canonical bytes of a bucket's state (its delta is not serialized). */
  public static byte[] encode(Bucket bucket) {
    return BucketEncoder.encode(bucket, BucketFormat.TAG_BUCKET);
  }

  public static byte[] encodeDelta(BucketDelta delta) {
    return BucketEncoder.encode(delta.changes(), BucketFormat.TAG_DELTA);
  }

  /** @throws IllegalArgumentException if the bytes are not a canonical serialized bucket */
  public static Bucket decodeBucket(byte[] bytes) {
    return BucketDecoder.decode(bytes, BucketFormat.TAG_BUCKET);
  }

  /** @throws IllegalArgumentException if the bytes are not a canonical serialized delta */
  public static BucketDelta decodeDelta(byte[] bytes) {
    return BucketDelta.of(BucketDecoder.decode(bytes, BucketFormat.TAG_DELTA));
  }

  /**
   * An upper bound of what one row adds to a serialized delta, its account's id included (as if
   * it were the account's only row). A whole delta is at most {@link #ESTIMATED_HEADER_BYTES} +
   * Σ {@link #estimatedWriterBytes} over the distinct writers of its rows and transfers + Σ this
   * over its rows. Akka's envelope around the delta comes on top.
   */
  public static int estimatedRowBytes(String accountId, Row row) {
    int idBytes = Utf8.length(accountId);
    int small = BucketFormat.MAX_SMALL_VARINT_BYTES;
    int bytes =
        ByteSink.varintSize(idBytes)
            + idBytes
            + small // the account's row count
            + small // writer index
            + ByteSink.varintSize(row.credited())
            + ByteSink.varintSize(row.debited())
            + ByteSink.varintSize(row.version())
            + small; // transfer count
    Transfers sent = row.transfers();
    for (int s = 0; s < sent.size(); s++) {
      bytes += small + ByteSink.varintSize(sent.amount(s));
    }
    return bytes;
  }

  /** What one writer key adds to a serialized delta's dictionary. */
  public static int estimatedWriterBytes(WriterKey writer) {
    int length = writer.value().length(); // ASCII
    return ByteSink.varintSize(length) + length;
  }
}
