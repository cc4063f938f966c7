package io.loyaltyledger.ledger.writer;

import io.loyaltyledger.ledger.crdt.WriterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals a row that the replica holds higher than the database: the database went backwards
 * (restored from an older copy), and the replica remembers changes the database lost.
 *
 * <p>Each field becomes {@code replica + (db - base)}: the replica's value with this epoch's own
 * changes re-applied on top. The base is the field's value when the current epoch began (captured
 * by the first change in the epoch); a field not changed in this epoch has base = db, so it simply
 * adopts the replica. Afterwards base := the adopted replica value, so a second heal with the same
 * replica finds the row covering it and writes nothing. The version becomes
 * {@code max(db, replica) + 1}, above every version either side has seen.
 *
 * <p>Precondition (for the caller that compares with the replica): the replica must not yet hold
 * values this database produced in the current epoch beyond the base, or those changes would be
 * counted twice. In an unverified epoch, reconcile a row before publishing its changes. In a
 * verified epoch that no longer holds (the replica has this epoch's published changes), so there a
 * field simply becomes {@code max(db, replica)}.
 */
final class RowHealer {

  private static final Logger log = LoggerFactory.getLogger(RowHealer.class);

  /** The replica's copy of this writer's row. */
  record Values(long credited, long debited, long version, SortedMap<WriterKey, Long> sent) {
    Values {
      Objects.requireNonNull(sent, "sent");
      if (credited < 0 || debited < 0 || version < 1
          || sent.values().stream().anyMatch(v -> v == null || v < 0)) {
        throw new IllegalArgumentException("not a replicated row: credited " + credited
            + ", debited " + debited + ", version " + version + ", sent " + sent);
      }
      sent = new TreeMap<>(sent);
    }
  }

  /** A row as locked for healing, with its epoch and bases. */
  private record LockedRow(long credited, long debited, long version, long epoch,
      long baseCredited, long baseDebited, long baseVersion) {}

  private record LockedSent(long amount, long baseAmount, long epoch) {}

  /** A healed field: its new value, and the replica value adopted as its new base. */
  private record Healed(long value, long base) {}

  /** A heal's result, and whether it added this epoch's changes to the replica's values. */
  private record Heal(HealResult result, boolean reapplied) {}

  private final WriterDatabase db;
  private final ToIntFunction<String> bucketOf;

  RowHealer(WriterDatabase db, ToIntFunction<String> bucketOf) {
    this.db = db;
    this.bucketOf = bucketOf;
  }

  HealResult heal(String accountId, Values replica) {
    // A verified epoch was compared with the replica at its start (and healed there), and
    // everything the replica got from this database since is its own published changes: a row
    // above the database then did not come from an older copy of it. Adding this epoch's changes
    // on top would count them twice, so such a row is only adopted as a maximum.
    Heal heal = db.inTransaction(tx -> {
      boolean reapply = !IdentityTable.isVerified(tx);
      return new Heal(healLocked(tx, accountId, replica, reapply), reapply);
    });
    HealResult result = heal.result();
    if (result.healed()) {
      String why = heal.reapplied()
          ? "Writer database of {} WENT BACKWARDS (restored from an older copy?): the replica holds "
              + "account {} higher than the database. Healed in epoch {}: replica {} + this epoch's "
              + "changes; before {}, after {}"
          : "The replica holds {}'s row of account {} higher than its database in verified epoch "
              + "{}, which no restore explains (a row merged from elsewhere?). Adopted as a maximum, "
              + "this epoch's changes not added again: replica {}; before {}, after {}";
      log.error(why, db.writerKey(), accountId, db.epoch(), replica,
          result.before().map(Object::toString).orElse("(no row)"), result.after());
    }
    return result;
  }

  private HealResult healLocked(Connection tx, String accountId, Values replica, boolean reapply)
      throws SQLException {
    Optional<LockedRow> existing = lock(tx, accountId);
    if (existing.isEmpty()) {
      insertEmpty(tx, accountId);
    }
    LockedRow row = existing.isPresent() ? existing.get() : lock(tx, accountId).orElseThrow();
    Map<String, LockedSent> sent = sent(tx, accountId);
    Optional<StoredRow> before = existing.isPresent()
        ? LedgerRows.row(tx, accountId)
        : Optional.empty();
    if (covers(row, sent, replica)) {
      return new HealResult(accountId, before, before.orElseThrow(), false);
    }
    long epoch = db.epoch();
    boolean rowChangedThisEpoch = reapply && row.epoch() == epoch;
    Healed credited = heal(replica.credited(), row.credited(), row.baseCredited(),
        rowChangedThisEpoch, accountId);
    Healed debited = heal(replica.debited(), row.debited(), row.baseDebited(),
        rowChangedThisEpoch, accountId);
    long version = Math.max(row.version(), replica.version()) + 1;
    long baseVersion = Math.max(replica.version(),
        rowChangedThisEpoch ? row.baseVersion() : row.version());
    update(tx, accountId, credited, debited, version, baseVersion);

    TreeSet<String> writers = new TreeSet<>(sent.keySet());
    replica.sent().keySet().forEach(w -> writers.add(w.value()));
    for (String toWriter : writers) {
      long replicaAmount = replica.sent().getOrDefault(WriterKey.parse(toWriter), 0L);
      LockedSent s = sent.get(toWriter);
      if (s == null) {
        // a new entry of this epoch with base 0: it adopts the replica's amount
        insertSent(tx, accountId, toWriter, heal(replicaAmount, 0, 0, true, accountId));
      } else {
        updateSent(tx, accountId, toWriter,
            heal(replicaAmount, s.amount(), s.baseAmount(), reapply && s.epoch() == epoch,
                accountId));
      }
    }
    return new HealResult(accountId, before, LedgerRows.row(tx, accountId).orElseThrow(), true);
  }

  /** replica + (db - base), where base = db for a field this epoch has not changed. */
  private static Healed heal(long replica, long db, long base, boolean changedThisEpoch,
      String accountId) {
    long from = changedThisEpoch ? base : db;
    long adopted = Math.max(replica, from); // fields only grow: never adopt less than we had
    try {
      long value = Math.addExact(adopted, db - from);
      if (value > LedgerRows.LIMIT) {
        throw new ArithmeticException();
      }
      return new Healed(value, adopted);
    } catch (ArithmeticException e) {
      throw new LedgerLimitExceededException(
          "healing account " + accountId + " would pass the ledger limit of 2^62 points");
    }
  }

  /** The row already holds at least what the replica holds: there is nothing to heal. */
  private static boolean covers(LockedRow row, Map<String, LockedSent> sent, Values replica) {
    if (replica.credited() > row.credited() || replica.debited() > row.debited()
        || replica.version() > row.version()) {
      return false;
    }
    for (Map.Entry<WriterKey, Long> e : replica.sent().entrySet()) {
      LockedSent s = sent.get(e.getKey().value());
      if (e.getValue() > (s == null ? 0 : s.amount())) {
        return false;
      }
    }
    return true;
  }

  private static Optional<LockedRow> lock(Connection tx, String accountId) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
        "SELECT credited, debited, version, epoch, base_credited, base_debited, base_version "
            + "FROM ledger_row WHERE account_id = ? FOR UPDATE")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new LockedRow(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)))
            : Optional.empty();
      }
    }
  }

  /** An all-zero row of this epoch to heal into; a concurrent first insert may win the race. */
  private void insertEmpty(Connection tx, String accountId) throws SQLException {
    RacingInsert.insert(
        tx,
        "INSERT INTO ledger_row (account_id, bucket, credited, debited, version, "
            + "published_version, pending, epoch, base_credited, base_debited, base_version) "
            + "VALUES (?, ?, 0, 0, 0, 0, FALSE, ?, 0, 0, 0)",
        ps -> {
          ps.setString(1, accountId);
          ps.setInt(2, bucketOf.applyAsInt(accountId));
          ps.setLong(3, db.epoch());
        });
  }

  /** The row's sent entries; the row lock taken before guards them. */
  private static Map<String, LockedSent> sent(Connection tx, String accountId)
      throws SQLException {
    Map<String, LockedSent> sent = new HashMap<>();
    try (PreparedStatement ps = tx.prepareStatement(
        "SELECT to_writer, amount, base_amount, epoch FROM ledger_row_sent WHERE account_id = ?")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sent.put(rs.getString(1), new LockedSent(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return sent;
  }

  private void update(Connection tx, String accountId, Healed credited, Healed debited,
      long version, long baseVersion) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
        "UPDATE ledger_row SET credited = ?, debited = ?, version = ?, pending = TRUE, "
            + "epoch = ?, base_credited = ?, base_debited = ?, base_version = ? "
            + "WHERE account_id = ?")) {
      ps.setLong(1, credited.value());
      ps.setLong(2, debited.value());
      ps.setLong(3, version);
      ps.setLong(4, db.epoch());
      ps.setLong(5, credited.base());
      ps.setLong(6, debited.base());
      ps.setLong(7, baseVersion);
      ps.setString(8, accountId);
      ps.executeUpdate();
    }
  }

  private void insertSent(Connection tx, String accountId, String toWriter, Healed amount)
      throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
        "INSERT INTO ledger_row_sent (account_id, to_writer, amount, base_amount, epoch) "
            + "VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, accountId);
      ps.setString(2, toWriter);
      ps.setLong(3, amount.value());
      ps.setLong(4, amount.base());
      ps.setLong(5, db.epoch());
      ps.executeUpdate();
    }
  }

  private void updateSent(Connection tx, String accountId, String toWriter, Healed amount)
      throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(
        "UPDATE ledger_row_sent SET amount = ?, base_amount = ?, epoch = ? "
            + "WHERE account_id = ? AND to_writer = ?")) {
      ps.setLong(1, amount.value());
      ps.setLong(2, amount.base());
      ps.setLong(3, db.epoch());
      ps.setString(4, accountId);
      ps.setString(5, toWriter);
      ps.executeUpdate();
    }
  }
}
