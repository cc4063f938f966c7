package io.loyaltyledger.ledger.writer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The {@code idempotency_record} table: one row per key, written with the command's effect. */
final class IdempotencyRecords {

  record Record(String fingerprint, StoredResponse response) {}

  private IdempotencyRecords() {}

  static Optional<Record> find(Connection tx, String key) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
        "SELECT fingerprint, status, response FROM idempotency_record WHERE idem_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Record(rs.getString(1),
                new StoredResponse(rs.getInt(2), rs.getString(3))))
            : Optional.empty();
      }
    }
  }

  /**
   * Claims the key for this transaction before the work runs. A concurrent claim of the same key
   * waits on the primary key until this transaction ends, then fails with a duplicate key.
   */
  static void claim(Connection tx, String key, String fingerprint) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
        "INSERT INTO idempotency_record (idem_key, fingerprint, status, response) "
            + "VALUES (?, ?, 0, NULL)")) {
      ps.setString(1, key);
      ps.setString(2, fingerprint);
      ps.executeUpdate();
    }
  }

  /** Stores the response in the claimed row, in the same transaction as the claim. */
  static void complete(Connection tx, String key, StoredResponse response) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
        "UPDATE idempotency_record SET status = ?, response = ? WHERE idem_key = ?")) {
      ps.setInt(1, response.status());
      ps.setString(2, response.body());
      ps.setString(3, key);
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("idempotency key not claimed: " + key);
      }
    }
  }

  static int deleteOlderThan(Connection tx, Instant cutoff) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("DELETE FROM idempotency_record WHERE created_at < ?")) {
      ps.setTimestamp(1, Timestamp.from(cutoff));
      return ps.executeUpdate();
    }
  }
}
