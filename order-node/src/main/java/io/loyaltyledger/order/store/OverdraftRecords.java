package io.loyaltyledger.order.store;

import io.loyaltyledger.ledger.writer.RacingInsert;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code overdraft} and {@code overdraft_charge} tables. Every change of state is a
 * conditional UPDATE on the record being OPEN with the deficit the decision saw, and a charge is
 * keyed by its record, so two sweeps that run at once can never settle or charge one deficit
 * twice, nor on a stale view of it.
 */
public final class OverdraftRecords {

  private static final String COLUMNS =
      "overdraft_id, account_id, deficit, opened_at, state, event_id, notified, notify_attempts,"
          + " charge_amount, charge_currency, closed_at";
  private static final int MAX_OPEN_ROUNDS = 5;

  private OverdraftRecords() {}

  /** What registering a deficit did. */
  public enum Registration {
    OPENED,
    RAISED,
    UNCHANGED
  }

  public record Registered(Registration what, Overdraft overdraft) {}

  /**
   * Registers a deficit of the account: opens a record if none is open, or raises the open one
   * to {@code deficit} (never lowers it here).
   *
   * @param notified whether the notification is already done (no webhook to call)
   */
  public static Registered register(
      Connection tx, String accountId, long deficit, Instant now, boolean notified)
      throws SQLException {
    for (int round = 0; round < MAX_OPEN_ROUNDS; round++) {
      Optional<Overdraft> open = lockOpen(tx, accountId);
      if (open.isPresent()) {
        Overdraft current = open.get();
        if (deficit <= current.deficit()) {
          return new Registered(Registration.UNCHANGED, current);
        }
        setDeficit(tx, current.overdraftId(), deficit);
        return new Registered(Registration.RAISED, find(tx, current.overdraftId()).orElseThrow());
      }
      Optional<Overdraft> opened = insertOpen(tx, accountId, deficit, now, notified);
      if (opened.isPresent()) {
        return new Registered(Registration.OPENED, opened.get());
      }
      // another transaction opened one in between: raise that one instead
    }
    throw new IllegalStateException("could not register the deficit of " + accountId);
  }

  private static Optional<Overdraft> lockOpen(Connection tx, String accountId)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT " + COLUMNS + " FROM overdraft WHERE open_account = ? FOR UPDATE")) {
      ps.setString(1, accountId);
      return first(ps);
    }
  }

  private static Optional<Overdraft> insertOpen(
      Connection tx, String accountId, long deficit, Instant now, boolean notified)
      throws SQLException {
    String id = UUID.randomUUID().toString();
    boolean inserted =
        RacingInsert.insert(
            tx,
            "INSERT INTO overdraft (overdraft_id, account_id, open_account, deficit, opened_at,"
                + " state, event_id, notified, notify_attempts)"
                + " VALUES (?, ?, ?, ?, ?, 'OPEN', ?, ?, 0)",
            ps -> {
              ps.setString(1, id);
              ps.setString(2, accountId);
              ps.setString(3, accountId);
              ps.setLong(4, deficit);
              Timestamps.set(ps, 5, now);
              ps.setString(6, UUID.randomUUID().toString());
              ps.setBoolean(7, notified);
            });
    if (!inserted) {
      return Optional.empty(); // another transaction opened one for this account first
    }
    return find(tx, id);
  }

  private static void setDeficit(Connection tx, String overdraftId, long deficit)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE overdraft SET deficit = ? WHERE overdraft_id = ? AND state = 'OPEN'")) {
      ps.setLong(1, deficit);
      ps.setString(2, overdraftId);
      ps.executeUpdate();
    }
  }

  /**
   * Lowers an open deficit the account has partly paid back by itself. False when the record is
   * no longer OPEN with the deficit {@code observed} the decision was based on (a clawback raised
   * it meanwhile): the next sweep decides again.
   */
  public static boolean lower(Connection tx, String overdraftId, long observed, long deficit)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE overdraft SET deficit = ?"
                + " WHERE overdraft_id = ? AND state = 'OPEN' AND deficit = ?")) {
      ps.setLong(1, deficit);
      ps.setString(2, overdraftId);
      ps.setLong(3, observed);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * OPEN → SETTLED. False when the record is no longer OPEN with the deficit {@code observed} the
   * decision was based on (a clawback may have raised it after the balance was read).
   */
  public static boolean settle(Connection tx, String overdraftId, long observed, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE overdraft SET state = 'SETTLED', open_account = NULL, closed_at = ?"
                + " WHERE overdraft_id = ? AND state = 'OPEN' AND deficit = ?")) {
      Timestamps.set(ps, 1, now);
      ps.setString(2, overdraftId);
      ps.setLong(3, observed);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * OPEN → CHARGED with the final deficit and its charge. False when the record is no longer OPEN
   * with the deficit {@code observed} the decision was based on (settled, charged, or raised by a
   * clawback meanwhile). The caller posts the settlement credit and {@link #insertCharge} in the
   * same transaction.
   */
  public static boolean markCharged(
      Connection tx,
      String overdraftId,
      long observed,
      long deficit,
      BigDecimal amount,
      String currency,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE overdraft SET state = 'CHARGED', open_account = NULL, closed_at = ?,"
                + " deficit = ?, charge_amount = ?, charge_currency = ?"
                + " WHERE overdraft_id = ? AND state = 'OPEN' AND deficit = ?")) {
      Timestamps.set(ps, 1, now);
      ps.setLong(2, deficit);
      ps.setBigDecimal(3, amount);
      ps.setString(4, currency);
      ps.setString(5, overdraftId);
      ps.setLong(6, observed);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * The charge of a deficit and the ledger row version of its settlement credit. Fails with a
   * duplicate key if the deficit was charged already (then the transaction must roll back).
   */
  public static void insertCharge(
      Connection tx,
      Overdraft overdraft,
      long points,
      BigDecimal amount,
      String currency,
      long settlementVersion,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO overdraft_charge (overdraft_id, account_id, points, amount, currency,"
                + " settlement_version, charged_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, overdraft.overdraftId());
      ps.setString(2, overdraft.accountId());
      ps.setLong(3, points);
      ps.setBigDecimal(4, amount);
      ps.setString(5, currency);
      ps.setLong(6, settlementVersion);
      Timestamps.set(ps, 7, now);
      ps.executeUpdate();
    }
  }

  /** Points of the account's deficits already charged (and credited back) by this writer. */
  public static long chargedPoints(Connection tx, String accountId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT COALESCE(SUM(points), 0) FROM overdraft_charge WHERE account_id = ?")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Counts a delivery attempt of the notification; returns the attempts so far. */
  public static int countAttempt(Connection tx, String overdraftId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE overdraft SET notify_attempts = notify_attempts + 1 WHERE overdraft_id = ?")) {
      ps.setString(1, overdraftId);
      ps.executeUpdate();
    }
    return find(tx, overdraftId).map(Overdraft::notifyAttempts).orElse(0);
  }

  public static void markNotified(Connection tx, String overdraftId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("UPDATE overdraft SET notified = TRUE WHERE overdraft_id = ?")) {
      ps.setString(1, overdraftId);
      ps.executeUpdate();
    }
  }

  public static Optional<Overdraft> find(Connection tx, String overdraftId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT " + COLUMNS + " FROM overdraft WHERE overdraft_id = ?")) {
      ps.setString(1, overdraftId);
      return first(ps);
    }
  }

  /** Every open deficit, oldest first. */
  public static List<Overdraft> open(Connection tx) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT " + COLUMNS + " FROM overdraft WHERE state = 'OPEN' ORDER BY opened_at")) {
      return all(ps);
    }
  }

  /** Notifications not delivered yet that may still be attempted. */
  public static List<Overdraft> undelivered(Connection tx, int maxAttempts) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT " + COLUMNS + " FROM overdraft WHERE notified = FALSE AND notify_attempts < ?"
                + " ORDER BY opened_at")) {
      ps.setInt(1, maxAttempts);
      return all(ps);
    }
  }

  /** Newest first, optionally of one state and one account. */
  public static List<Overdraft> list(
      Connection tx, Optional<OverdraftState> state, Optional<String> accountId, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM overdraft WHERE 1 = 1");
    state.ifPresent(s -> sql.append(" AND state = ?"));
    accountId.ifPresent(a -> sql.append(" AND account_id = ?"));
    sql.append(" ORDER BY opened_at DESC, overdraft_id LIMIT ?");
    try (PreparedStatement ps = tx.prepareStatement(sql.toString())) {
      int i = 1;
      if (state.isPresent()) {
        ps.setString(i++, state.get().name());
      }
      if (accountId.isPresent()) {
        ps.setString(i++, accountId.get());
      }
      ps.setInt(i, limit);
      return all(ps);
    }
  }

  private static Optional<Overdraft> first(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(overdraft(rs)) : Optional.empty();
    }
  }

  private static List<Overdraft> all(PreparedStatement ps) throws SQLException {
    List<Overdraft> result = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        result.add(overdraft(rs));
      }
    }
    return result;
  }

  private static Overdraft overdraft(ResultSet rs) throws SQLException {
    return new Overdraft(
        rs.getString("overdraft_id"),
        rs.getString("account_id"),
        rs.getLong("deficit"),
        Timestamps.get(rs, "opened_at"),
        OverdraftState.valueOf(rs.getString("state")),
        rs.getString("event_id"),
        rs.getBoolean("notified"),
        rs.getInt("notify_attempts"),
        Optional.ofNullable(rs.getBigDecimal("charge_amount")),
        Optional.ofNullable(rs.getString("charge_currency")),
        Optional.ofNullable(Timestamps.get(rs, "closed_at")));
  }
}
