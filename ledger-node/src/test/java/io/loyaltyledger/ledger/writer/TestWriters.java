package io.loyaltyledger.ledger.writer;

import io.loyaltyledger.ledger.crdt.BucketIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.function.ToIntFunction;

/** Writer databases in H2 files for tests. */
final class TestWriters {

  static final String NAME = "ledger-1";
  static final int BUCKETS = 64;

  private TestWriters() {}

  static WriterSettings settings(Path dir) {
    return WriterSettings.h2File(NAME, dir.resolve("writer"));
  }

  static WriterDatabase open(Path dir) {
    return WriterDatabase.open(settings(dir), BUCKETS);
  }

  static ToIntFunction<String> bucketOf() {
    return new BucketIds(BUCKETS)::bucketOf;
  }

  /** The H2 file of the database in {@code dir}; copy it only while the database is closed. */
  static Path databaseFile(Path dir) {
    return dir.resolve("writer.mv.db");
  }

  static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  static long count(WriterDatabase db, String table) {
    return db.inTransaction(tx -> {
      try (PreparedStatement ps = tx.prepareStatement("SELECT COUNT(*) FROM " + table);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Puts a sent entry in directly (transfers are a later feature). */
  static void putSent(WriterDatabase db, String accountId, String toWriter, long amount) {
    db.inTransaction(tx -> {
      try (PreparedStatement ps = tx.prepareStatement(
          "INSERT INTO ledger_row_sent (account_id, to_writer, amount, base_amount, epoch) "
              + "VALUES (?, ?, ?, 0, 0)")) {
        ps.setString(1, accountId);
        ps.setString(2, toWriter);
        ps.setLong(3, amount);
        ps.executeUpdate();
      }
      return null;
    });
  }
}
