package io.loyaltyledger.ledger.crdt;

import java.util.Arrays;

/**
 * Builds a bucket from rows given in ascending (account id, writer) order, in linear time.
 * Rows for the same (account, writer) are merged; zero rows are dropped.
 */
final class BucketBuilder {

  private String[] ids = new String[4];
  private Account[] accounts = new Account[4];
  private int size;

  private String currentId;
  private WriterKey[] writers = new WriterKey[4];
  private Row[] rows = new Row[4];
  private int rowCount;

  void add(String accountId, WriterKey writer, Row row) {
    if (row.isZero()) {
      return;
    }
    if (currentId == null || SortedArrays.compare(currentId, accountId) != 0) {
      if (currentId != null && currentId.compareTo(accountId) > 0) {
        throw new IllegalStateException("account ids out of order: " + accountId);
      }
      finishAccount();
      currentId = accountId;
    }
    if (rowCount > 0) {
      int c = SortedArrays.compare(writers[rowCount - 1], writer);
      if (c == 0) {
        rows[rowCount - 1] = rows[rowCount - 1].merge(row);
        return;
      }
      if (c > 0) {
        throw new IllegalStateException("writers out of order: " + writer);
      }
    }
    if (rowCount == writers.length) {
      writers = Arrays.copyOf(writers, rowCount * 2);
      rows = Arrays.copyOf(rows, rowCount * 2);
    }
    writers[rowCount] = writer;
    rows[rowCount++] = row;
  }

  Bucket build() {
    finishAccount();
    return Bucket.ofSorted(Arrays.copyOf(ids, size), Arrays.copyOf(accounts, size));
  }

  private void finishAccount() {
    if (rowCount == 0) {
      return;
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      accounts = Arrays.copyOf(accounts, size * 2);
    }
    ids[size] = currentId;
    accounts[size++] =
        Account.ofSorted(Arrays.copyOf(writers, rowCount), Arrays.copyOf(rows, rowCount));
    rowCount = 0;
  }
}
