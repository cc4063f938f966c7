package io.loyaltyledger.ledger.crdt;

/**
 * Constants of the serialized form of buckets and deltas. Version 1:
 *
 * <pre>
 * tag          1 byte   'B' bucket, 'D' delta
 * version      1 byte   1
 * writers      varint n, then n × (varint length, UTF-8 of name@incarnation),
 *                       strictly ascending, each used at least once
 * accounts     varint m, then m × account, strictly ascending by id
 * account      varint length, UTF-8 id; varint r ≥ 1, then r × row, strictly ascending by writer
 * row          varint writer index; varint credited, debited, version;
 *              varint s, then s × (varint writer index, varint amount ≥ 1), ascending by index;
 *              never a zero row
 * </pre>
 *
 * Varints are unsigned LEB128 in their shortest form. Every value has exactly one encoding, so
 * equal states give equal bytes (the Replicator compares SHA-1 digests of them). A reader
 * dispatches on the version byte: once written, a version stays readable.
 */
final class BucketFormat {

  static final byte TAG_BUCKET = 'B';
  static final byte TAG_DELTA = 'D';
  static final int VERSION_1 = 1;
  static final int CURRENT_VERSION = VERSION_1;

  /** {@code name@incarnation}: 64 + 1 + 32 ASCII characters at most (see {@link WriterKey}). */
  static final int MAX_WRITER_KEY_BYTES = 97;

  /**
   * Upper bound of a varint holding an index or count below 2^21 — sound for any delta below
   * Artery's frame size limits, which cannot hold two million writers or rows.
   */
  static final int MAX_SMALL_VARINT_BYTES = 3;

  private BucketFormat() {}
}
