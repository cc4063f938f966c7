package io.loyaltyledger.ledger.writer;

import io.loyaltyledger.ledger.crdt.WriterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads rows together with their {@code sent} maps in one statement, so a row and its map come
 * from the same snapshot.
 */
final class StoredRowQueries {

  private static final String SELECT_JOINED =
      "SELECT r.account_id, r.bucket, r.credited, r.debited, r.version, r.published_version, "
          + "s.to_writer, s.amount FROM %s r "
          + "LEFT JOIN ledger_row_sent s ON s.account_id = r.account_id "
          + "%s ORDER BY r.bucket, r.account_id";

  static final String PENDING = String.format(SELECT_JOINED,
      "(SELECT account_id, bucket, credited, debited, version, published_version FROM ledger_row"
          // "pending" leads the ORDER BY (constant here) so that H2 reads the rows in the order of
          // index ledger_row_pending and stops at the limit, instead of sorting every pending row
          + " WHERE pending = TRUE ORDER BY pending, bucket, account_id LIMIT ?)", "");
  /** Pending rows after a (bucket, account) position, in the same order. */
  static final String PENDING_AFTER = String.format(SELECT_JOINED,
      "(SELECT account_id, bucket, credited, debited, version, published_version FROM ledger_row"
          + " WHERE pending = TRUE AND bucket >= ? AND (bucket > ? OR account_id > ?)"
          + " ORDER BY pending, bucket, account_id LIMIT ?)", "");
  static final String IN_BUCKET = String.format(SELECT_JOINED, "ledger_row", "WHERE r.bucket = ?");
  static final String ONE = String.format(SELECT_JOINED, "ledger_row", "WHERE r.account_id = ?");

  private StoredRowQueries() {}

  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  static List<StoredRow> query(Connection c, String sql, Binder binder) throws SQLException {
    List<StoredRow> result = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        // Ordered by (bucket, account): the joined lines of one row are adjacent.
        Builder row = null;
        while (rs.next()) {
          String accountId = rs.getString(1);
          if (row == null || !row.accountId.equals(accountId)) {
            if (row != null) {
              result.add(row.build());
            }
            row = new Builder(accountId);
            row.bucket = rs.getInt(2);
            row.credited = rs.getLong(3);
            row.debited = rs.getLong(4);
            row.version = rs.getLong(5);
            row.publishedVersion = rs.getLong(6);
          }
          String toWriter = rs.getString(7);
          if (toWriter != null) {
            if (row.sent == null) {
              row.sent = new TreeMap<>();
            }
            row.sent.put(WriterKey.parse(toWriter), rs.getLong(8));
          }
        }
        if (row != null) {
          result.add(row.build());
        }
      }
    }
    return result;
  }

  private static final class Builder {
    final String accountId;
    int bucket;
    long credited;
    long debited;
    long version;
    long publishedVersion;
    TreeMap<WriterKey, Long> sent; // made for the first transfer only

    Builder(String accountId) {
      this.accountId = accountId;
    }

    StoredRow build() {
      return new StoredRow(accountId, bucket, credited, debited, version, publishedVersion,
          sent == null ? Collections.emptySortedMap() : sent);
    }
  }
}
