package io.loyaltyledger.ledger.crdt;

import java.util.TreeSet;

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
        Row row = account.rowAt(r);
        out.writeVarint(indexOf(dictionary, account.writerAt(r)));
        out.writeVarint(row.credited());
        out.writeVarint(row.debited());
        out.writeVarint(row.version());
        Transfers sent = row.transfers();
        out.writeVarint(sent.size());
        for (int s = 0; s < sent.size(); s++) {
          out.writeVarint(indexOf(dictionary, sent.to(s)));
          out.writeVarint(sent.amount(s));
        }
      }
    }
    return out.toByteArray();
  }

  /** The distinct writer keys of all rows and transfers, sorted. */
  private static WriterKey[] dictionaryOf(Bucket bucket) {
    TreeSet<WriterKey> writers = new TreeSet<>();
    for (int a = 0; a < bucket.size(); a++) {
      Account account = bucket.accountAt(a);
      for (int r = 0; r < account.size(); r++) {
        writers.add(account.writerAt(r));
        Transfers sent = account.rowAt(r).transfers();
        for (int s = 0; s < sent.size(); s++) {
          writers.add(sent.to(s));
        }
      }
    }
    return writers.toArray(new WriterKey[0]);
  }

  private static int indexOf(WriterKey[] dictionary, WriterKey writer) {
    return SortedArrays.binarySearch(dictionary, dictionary.length, writer);
  }
}
