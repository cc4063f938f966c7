package io.loyaltyledger.ledger.crdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Hand-written serialized input, for golden and malformed-input tests. */
final class RawBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  RawBytes bytes(int... values) {
    for (int value : values) {
      out.write(value);
    }
    return this;
  }

  RawBytes varint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return this;
  }

  /** Length-prefixed UTF-8. */
  RawBytes string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    varint(utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  byte[] toArray() {
    return out.toByteArray();
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
