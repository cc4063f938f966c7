package io.loyaltyledger.ledger.crdt;

/**
 * Reads untrusted bytes. Every failure is an {@link IllegalArgumentException} naming the offset;
 * counts and lengths are checked against the bytes left before anything is allocated, so a
 * corrupt length can neither allocate much nor loop long.
 */
final class ByteSource {

  private final byte[] bytes;
  private int position;

  ByteSource(byte[] bytes) {
    this.bytes = bytes;
  }

  int remaining() {
    return bytes.length - position;
  }

  IllegalArgumentException malformed(String problem) {
    return new IllegalArgumentException(
        "malformed ledger bucket: " + problem + " (at byte " + position + " of " + bytes.length + ")");
  }

  int readByte() {
    if (position >= bytes.length) {
      throw malformed("unexpected end of input");
    }
    return bytes[position++] & 0xFF;
  }

  /** Unsigned LEB128 in shortest form, at most 63 bits. */
  long readVarint() {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      int b = readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw malformed("varint not in shortest form");
        }
        return value;
      }
    }
    throw malformed("varint longer than 63 bits");
  }

  /** A value of a row: 0..{@link Row#MAX_TOTAL}. */
  long readAmount(String what) {
    long value = readVarint();
    if (value > Row.MAX_TOTAL) {
      throw malformed(what + " " + value + " exceeds " + Row.MAX_TOTAL);
    }
    return value;
  }

  /** A count of items that take at least {@code minBytesEach} bytes each. */
  int readCount(String what, int minBytesEach) {
    long count = readVarint();
    if (count > remaining() / minBytesEach) {
      throw malformed(what + " " + count + " exceeds what the remaining input can hold");
    }
    return (int) count;
  }

  /** An index into a table of {@code size} entries. */
  int readIndex(String what, int size) {
    long index = readVarint();
    if (index >= size) {
      throw malformed(what + " " + index + " out of range 0.." + (size - 1));
    }
    return (int) index;
  }

  /** A length-prefixed, non-empty, strictly valid UTF-8 string of at most {@code maxBytes}. */
  String readString(String what, int maxBytes) {
    long length = readVarint();
    if (length < 1 || length > maxBytes || length > remaining()) {
      throw malformed(what + " length " + length + " not in 1.." + Math.min(maxBytes, remaining()));
    }
    int start = position;
    position += (int) length;
    try {
      return Utf8.decode(bytes, start, (int) length);
    } catch (IllegalArgumentException e) {
      position = start;
      throw malformed(what + " is not valid UTF-8");
    }
  }

  void expectEnd() {
    if (position != bytes.length) {
      throw malformed((bytes.length - position) + " trailing bytes");
    }
  }
}
