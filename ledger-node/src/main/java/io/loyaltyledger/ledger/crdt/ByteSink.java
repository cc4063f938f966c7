package io.loyaltyledger.ledger.crdt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with unsigned LEB128 varints. */
final class ByteSink {

  private byte[] bytes;
  private int size;

  ByteSink(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  static int varintSize(long value) {
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  void writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  /** Unsigned LEB128, shortest form. */
  void writeVarint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative varint " + value);
    }
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    bytes[size++] = (byte) value;
  }

  /** Varint length, then the UTF-8 bytes; the caller has checked the string is valid Unicode. */
  void writeString(String s) {
    int length = s.length();
    if (length < 128 && isAscii(s)) {
      // The common case (account ids and writer keys are ASCII): no intermediate array.
      ensure(1 + length);
      bytes[size++] = (byte) length;
      for (int i = 0; i < length; i++) {
        bytes[size++] = (byte) s.charAt(i);
      }
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeVarint(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, size, utf8.length);
    size += utf8.length;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
