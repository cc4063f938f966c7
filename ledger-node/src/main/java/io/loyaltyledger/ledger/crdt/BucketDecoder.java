package io.loyaltyledger.ledger.crdt;

/**
 * Reads every version of {@link BucketFormat} this code has ever written, and accepts only the
 * canonical form: anything the encoder would not have produced is rejected, so a decoded state
 * re-encodes to the very same bytes.
 */
final class BucketDecoder {

  // Smallest encodings, used to bound counts by the bytes left before allocating.
  private static final int MIN_WRITER_BYTES = 2;
  private static final int MIN_ACCOUNT_BYTES = 8;
  private static final int MIN_ROW_BYTES = 5;
  private static final int MIN_TRANSFER_BYTES = 2;

  private BucketDecoder() {}

  static Bucket decode(byte[] bytes, byte expectedTag) {
    ByteSource in = new ByteSource(bytes);
    int tag = in.readByte();
    if (tag != expectedTag) {
      throw in.malformed("format tag " + tag + ", expected " + expectedTag);
    }
    int version = in.readByte();
    Bucket bucket =
        switch (version) {
          case BucketFormat.VERSION_1 -> readVersion1(in);
          default -> throw in.malformed(
              "unsupported format version " + version + " (reads up to "
                  + BucketFormat.CURRENT_VERSION + ")");
        };
    in.expectEnd();
    return bucket;
  }

  private static Bucket readVersion1(ByteSource in) {
    WriterKey[] writers = readWriters(in);
    boolean[] used = new boolean[writers.length];
    int accountCount = in.readCount("account count", MIN_ACCOUNT_BYTES);
    String[] ids = new String[accountCount];
    Account[] accounts = new Account[accountCount];
    for (int a = 0; a < accountCount; a++) {
      ids[a] = in.readString("account id", AccountIds.MAX_BYTES);
      if (a > 0 && ids[a - 1].compareTo(ids[a]) >= 0) {
        throw in.malformed("account ids not strictly ascending: " + ids[a]);
      }
      accounts[a] = readAccount(in, writers, used);
    }
    for (int w = 0; w < writers.length; w++) {
      if (!used[w]) {
        throw in.malformed("writer " + writers[w] + " is never used");
      }
    }
    return Bucket.ofSorted(ids, accounts);
  }

  private static WriterKey[] readWriters(ByteSource in) {
    int count = in.readCount("writer count", MIN_WRITER_BYTES);
    WriterKey[] writers = new WriterKey[count];
    for (int w = 0; w < count; w++) {
      String value = in.readString("writer key", BucketFormat.MAX_WRITER_KEY_BYTES);
      try {
        writers[w] = WriterKeyInterner.intern(value);
      } catch (IllegalArgumentException e) {
        throw in.malformed(e.getMessage());
      }
      if (w > 0 && writers[w - 1].compareTo(writers[w]) >= 0) {
        throw in.malformed("writer keys not strictly ascending: " + value);
      }
    }
    return writers;
  }

  private static Account readAccount(ByteSource in, WriterKey[] writers, boolean[] used) {
    int rowCount = in.readCount("row count", MIN_ROW_BYTES);
    if (rowCount == 0) {
      throw in.malformed("account without rows");
    }
    WriterKey[] rowWriters = new WriterKey[rowCount];
    Row[] rows = new Row[rowCount];
    int previous = -1;
    for (int r = 0; r < rowCount; r++) {
      int writer = in.readIndex("writer index", writers.length);
      if (writer <= previous) {
        throw in.malformed("rows not strictly ascending by writer");
      }
      previous = writer;
      used[writer] = true;
      rowWriters[r] = writers[writer];
      rows[r] = readRow(in, writers, used);
    }
    return Account.ofSorted(rowWriters, rows);
  }

  private static Row readRow(ByteSource in, WriterKey[] writers, boolean[] used) {
    long credited = in.readAmount("credited");
    long debited = in.readAmount("debited");
    long version = in.readAmount("version");
    int count = in.readCount("transfer count", MIN_TRANSFER_BYTES);
    WriterKey[] to = new WriterKey[count];
    long[] amounts = new long[count];
    int previous = -1;
    for (int s = 0; s < count; s++) {
      int writer = in.readIndex("transfer writer index", writers.length);
      if (writer <= previous) {
        throw in.malformed("transfers not strictly ascending by writer");
      }
      previous = writer;
      used[writer] = true;
      to[s] = writers[writer];
      amounts[s] = in.readAmount("sent");
      if (amounts[s] == 0) {
        throw in.malformed("zero transfer");
      }
    }
    Row row = Row.of(credited, debited, version, Transfers.ofSorted(to, amounts));
    if (row.isZero()) {
      throw in.malformed("zero row");
    }
    return row;
  }
}
