package io.loyaltyledger.ledger.writer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The single {@code writer_identity} row: created with a fresh incarnation when the database is
 * new, checked against the settings on every open, and the owner of the healing epoch.
 *
 * <p>Epochs: an epoch is "verified" once the writer has compared its rows with the replica and
 * found (or healed) everything. Opening a verified database starts a new epoch, so rows capture new
 * bases when first changed. Opening an unverified one keeps the epoch and its bases: the changes
 * committed since it began have still not been checked against the replica. (So a backup taken
 * between an open and its verification re-applies, on restore, the changes of that window on top of
 * a replica that may already hold them: take backups of verified databases.)
 */
final class IdentityTable {

  private IdentityTable() {}

  static WriterIdentity establish(Connection tx, String writerName, int buckets)
      throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
            "SELECT incarnation, writer_name, buckets, epoch, verified FROM writer_identity "
                + "WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return create(tx, writerName, buckets);
      }
      String incarnation = rs.getString(1);
      String storedName = rs.getString(2);
      int storedBuckets = rs.getInt(3);
      long epoch = rs.getLong(4);
      boolean verified = rs.getBoolean(5);
      if (!storedName.equals(writerName)) {
        throw new WriterIdentityMismatchException("the writer database belongs to writer '"
            + storedName + "', but this node is configured as '" + writerName + "'");
      }
      if (storedBuckets != buckets) {
        throw new WriterIdentityMismatchException("the writer database was created for "
            + storedBuckets + " buckets, but the cluster uses " + buckets
            + "; buckets are fixed for the life of a database");
      }
      if (!verified) {
        return new WriterIdentity(writerName, incarnation, buckets, epoch, false, false);
      }
      try (PreparedStatement up = tx.prepareStatement(
          "UPDATE writer_identity SET epoch = ?, verified = FALSE WHERE id = 1")) {
        up.setLong(1, epoch + 1);
        up.executeUpdate();
      }
      return new WriterIdentity(writerName, incarnation, buckets, epoch + 1, false, true);
    }
  }

  private static WriterIdentity create(Connection tx, String writerName, int buckets)
      throws SQLException {
    String incarnation = UUID.randomUUID().toString().replace("-", "");
    try (PreparedStatement ps = tx.prepareStatement(
        "INSERT INTO writer_identity (id, incarnation, writer_name, buckets, epoch, verified) "
            + "VALUES (1, ?, ?, ?, 1, FALSE)")) {
      ps.setString(1, incarnation);
      ps.setString(2, writerName);
      ps.setInt(3, buckets);
      ps.executeUpdate();
    }
    return new WriterIdentity(writerName, incarnation, buckets, 1, true, true);
  }

  static void markVerified(Connection tx, long epoch) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
        "UPDATE writer_identity SET verified = TRUE WHERE id = 1 AND epoch = ?")) {
      ps.setLong(1, epoch);
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("writer_identity is not in epoch " + epoch);
      }
    }
  }

  static boolean isVerified(Connection tx) throws SQLException {
    try (PreparedStatement ps =
            tx.prepareStatement("SELECT verified FROM writer_identity WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }
}
