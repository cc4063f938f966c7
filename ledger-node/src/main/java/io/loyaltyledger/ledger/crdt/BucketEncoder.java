package io.loyaltyledger.ledger.crdt;

import java.util.Arrays;

/** Writes the current version of {@link BucketFormat}. */
final class BucketEncoder {

  private BucketEncoder() {}

  static byte[] encode(Bucket bucket, byte tag) {
    WriterKey[] dictionary = dictionaryOf(bucket);
    ByteSink out = new ByteSink(64 + 32 * bucket.size());
    out.writeByte(tag);
    out.writeByte(BucketFormat.CURRENT_VERSION);
    out.writeVarint(dictionary.length);
    for (WriterKey writer : dictionary) {
      out.writeString(writer.value());
    }
    out.writeVarint(bucket.size());
    for (int a = 0; a < bucket.size(); a++) {
      out.writeString(bucket.idAt(a));
      Account account = bucket.accountAt(a);
      out.writeVarint(account.size());
      for (int r = 0; r < account.size(); r++) {
        out.writeVarint(indexOf(dictionary, account.writerAt(r)));
        out.writeVarint(account.creditedAt(r));
        out.writeVarint(account.debitedAt(r));
        out.writeVarint(account.versionAt(r));
        Transfers sent = account.transfersAt(r);
        out.writeVarint(sent.size());
        for (int s = 0; s < sent.size(); s++) {
          out.writeVarint(indexOf(dictionary, sent.to(s)));
          out.writeVarint(sent.amount(s));
        }
      }
    }
    return out.toByteArray();
  }

  /**
   * The distinct writer keys of all rows and transfers, sorted. A bucket has few writers, and
   * consecutive rows mostly share one key object: a short array scanned by identity first is
   * cheaper than a sorted set (this runs for every update, digest and durable store of a bucket).
   */
  private static WriterKey[] dictionaryOf(Bucket bucket) {
    WriterKey[] writers = new WriterKey[4];
    int count = 0;
    for (int a = 0; a < bucket.size(); a++) {
      Account account = bucket.accountAt(a);
      for (int r = 0; r < account.size(); r++) {
        count = addDistinct(writers = grow(writers, count), count, account.writerAt(r));
        Transfers sent = account.transfersAt(r);
        for (int s = 0; s < sent.size(); s++) {
          count = addDistinct(writers = grow(writers, count), count, sent.to(s));
        }
      }
    }
    WriterKey[] sorted = Arrays.copyOf(writers, count);
    Arrays.sort(sorted);
    return sorted;
  }

  private static WriterKey[] grow(WriterKey[] writers, int count) {
    return count < writers.length ? writers : Arrays.copyOf(writers, writers.length * 2);
  }

  private static int addDistinct(WriterKey[] writers, int count, WriterKey writer) {
    return find(writers, count, writer) >= 0 ? count : set(writers, count, writer);
  }

  private static int set(WriterKey[] writers, int count, WriterKey writer) {
    writers[count] = writer;
    return count + 1;
  }

  /** Index of {@code writer} among the first {@code count}, or -1: identity first, then equals. */
  private static int find(WriterKey[] writers, int count, WriterKey writer) {
    for (int i = 0; i < count; i++) {
      if (writers[i] == writer) {
        return i;
      }
    }
    for (int i = 0; i < count; i++) {
      if (writers[i].equals(writer)) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(WriterKey[] dictionary, WriterKey writer) {
    return dictionary.length <= 16
        ? find(dictionary, dictionary.length, writer)
        : SortedArrays.binarySearch(dictionary, dictionary.length, writer);
  }
}
