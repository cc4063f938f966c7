package io.loyaltyledger.ledger.escrow;

import io.loyaltyledger.ledger.crdt.AccountIds;
import io.loyaltyledger.ledger.crdt.Rights;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.StoredRow;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The donor side of a rights transfer: one transaction, under the account's lock and with the row
 * locked, checks this writer's rights, raises {@code sent[to]} by at most those rights and records
 * the transfer id. A request repeated with the same id replays the amount first given.
 */
public final class TransferDonor {

  private static final Logger log = LoggerFactory.getLogger(TransferDonor.class);
  /** The refusal of a donor that answered and holds nothing to give; any other means "later". */
  public static final String NO_RIGHTS = "no rights to give";

  private final WriterDatabase db;
  private final LedgerRows rows;
  private final OwnRights rights;
  private final StripedLocks locks;
  private final Runnable onCommit;
  private final Duration lockWait;

  private final AtomicLong grants = new AtomicLong();
  private final AtomicLong pointsGiven = new AtomicLong();

  public TransferDonor(WriterDatabase db, LedgerRows rows, OwnRights rights, StripedLocks locks,
      Runnable onCommit, Duration lockWait) {
    this.db = db;
    this.rows = rows;
    this.rights = rights;
    this.locks = locks;
    this.onCommit = onCommit;
    this.lockWait = lockWait;
  }

  public TransferMessage.Reply give(TransferMessage.Request q) {
    String refusal = invalid(q);
    if (refusal != null) {
      return refuse(q, refusal);
    }
    if (!rows.isVerified()) {
      // A row handed out now could reach the replica before the reconciler compared it, and
      // healing would then count this epoch's changes twice.
      return refuse(q, "not verified against the replica yet");
    }
    StripedLocks.Held<Given> held =
        locks.tryWith(q.accountId(), lockWait, () -> db.inTransaction(tx -> give(tx, q)));
    if (!held.ran()) {
      return refuse(q, "busy");
    }
    Given given = held.value();
    // The reply's row goes into the requester's replica: like a published row, it must not show
    // another transaction's commit that is still being written to disk.
    db.awaitCommitsInProgress();
    if (given.fresh()) {
      grants.incrementAndGet();
      pointsGiven.addAndGet(given.amount());
      log.debug("Gave {} points of {} to {} ({})", given.amount(), q.accountId(), q.to(),
          q.transferId());
      onCommit.run();
    }
    return new TransferMessage.Reply(q.transferId(), rights.writer(), given.amount(),
        given.row().orElse(null), given.amount() > 0 ? null : NO_RIGHTS);
  }

  /** Transfers this donor committed (replays not counted). */
  public long grants() {
    return grants.get();
  }

  public long pointsGiven() {
    return pointsGiven.get();
  }

  private record Given(long amount, boolean fresh, Optional<Row> row) {}

  private Given give(Connection tx, TransferMessage.Request q) throws SQLException {
    OwnRights.Seen seen = rights.check(tx, q.accountId());
    Optional<Long> replay = recorded(tx, q.transferId());
    if (replay.isPresent()) {
      return new Given(replay.get(), false, row(tx, q.accountId()));
    }
    long amount = Rights.give(seen.rights(), q.amount());
    if (amount == 0) {
      return new Given(0, false, row(tx, q.accountId()));
    }
    long version = rows.addSent(tx, q.accountId(), q.to(), amount);
    try (PreparedStatement ps = tx.prepareStatement(
        "INSERT INTO transfer_given (transfer_id, account_id, to_writer, asked, given, row_version)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, q.transferId());
      ps.setString(2, q.accountId());
      ps.setString(3, q.to().value());
      ps.setLong(4, q.amount());
      ps.setLong(5, amount);
      ps.setLong(6, version);
      ps.executeUpdate();
    }
    return new Given(amount, true, row(tx, q.accountId()));
  }

  private static Optional<Long> recorded(Connection tx, String transferId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT given FROM transfer_given WHERE transfer_id = ?")) {
      ps.setString(1, transferId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  private Optional<Row> row(Connection tx, String accountId) throws SQLException {
    Optional<StoredRow> stored = rows.lockRow(tx, accountId);
    return stored.map(OwnRights::row);
  }

  private String invalid(TransferMessage.Request q) {
    if (q.to().equals(rights.writer())) {
      return "a writer cannot transfer to itself";
    }
    if (q.amount() <= 0 || q.transferId().isEmpty() || q.transferId().length() > 64) {
      return "invalid request";
    }
    try {
      AccountIds.requireValid(q.accountId());
    } catch (IllegalArgumentException e) {
      return "invalid account id";
    }
    return null;
  }

  private TransferMessage.Reply refuse(TransferMessage.Request q, String why) {
    return new TransferMessage.Reply(q.transferId(), rights.writer(), 0, null, why);
  }
}
