package io.loyaltyledger.order.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code customer_order} table. Every method works inside the caller's transaction. */
public final class OrderRecords {

  private static final String COLUMNS =
      "order_id, account_id, amount, currency, status, points_earned, earn_version, placed_at,"
          + " points_reversed, reverse_version, cancelled_at, points_redeemed, points_refunded";

  private OrderRecords() {}

  /** A new order, as placed. */
  public record NewOrder(
      String orderId,
      String accountId,
      BigDecimal amount,
      String currency,
      long pointsEarned,
      Optional<Long> earnVersion,
      String idempotencyKey,
      Instant placedAt,
      long pointsRedeemed) {

    public NewOrder(String orderId, String accountId, BigDecimal amount, String currency,
        long pointsEarned, Optional<Long> earnVersion, String idempotencyKey, Instant placedAt) {
      this(orderId, accountId, amount, currency, pointsEarned, earnVersion, idempotencyKey,
          placedAt, 0);
    }
  }

  public static boolean exists(Connection tx, String orderId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT 1 FROM customer_order WHERE order_id = ?")) {
      ps.setString(1, orderId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Inserts the order. A concurrent insert of the same id waits on the primary key and then fails
   * with a duplicate key ({@code SqlFailures.isDuplicateKey}).
   */
  public static void insert(Connection tx, NewOrder order) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO customer_order (order_id, account_id, amount, currency, status,"
                + " points_earned, earn_version, placed_key, placed_at, overdraft_check_pending,"
                + " points_redeemed)"
                + " VALUES (?, ?, ?, ?, 'PLACED', ?, ?, ?, ?, FALSE, ?)")) {
      ps.setString(1, order.orderId());
      ps.setString(2, order.accountId());
      ps.setBigDecimal(3, order.amount());
      ps.setString(4, order.currency());
      ps.setLong(5, order.pointsEarned());
      setOptionalLong(ps, 6, order.earnVersion());
      ps.setString(7, order.idempotencyKey());
      Timestamps.set(ps, 8, order.placedAt());
      ps.setLong(9, order.pointsRedeemed());
      ps.executeUpdate();
    }
  }

  public static Optional<Order> find(Connection tx, String orderId) throws SQLException {
    return one(tx, "SELECT " + COLUMNS + " FROM customer_order WHERE order_id = ?", orderId);
  }

  /** Reads the order and locks it until the transaction ends: cancellations of it queue up. */
  public static Optional<Order> lock(Connection tx, String orderId) throws SQLException {
    return one(
        tx, "SELECT " + COLUMNS + " FROM customer_order WHERE order_id = ? FOR UPDATE", orderId);
  }

  /**
   * Records the cancellation of a PLACED order. {@code checkOverdraft}: the clawback may have
   * overdrawn the account, so the overdraft policy must look at it (the flag survives a crash).
   */
  public static void markCancelled(
      Connection tx,
      String orderId,
      long pointsReversed,
      long pointsRefunded,
      Optional<Long> reverseVersion,
      String idempotencyKey,
      Instant cancelledAt,
      boolean checkOverdraft)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE customer_order SET status = 'CANCELLED', points_reversed = ?,"
                + " reverse_version = ?, cancel_key = ?, cancelled_at = ?,"
                + " overdraft_check_pending = ?, points_refunded = ?"
                + " WHERE order_id = ? AND status = 'PLACED'")) {
      ps.setLong(1, pointsReversed);
      setOptionalLong(ps, 2, reverseVersion);
      ps.setString(3, idempotencyKey);
      Timestamps.set(ps, 4, cancelledAt);
      ps.setBoolean(5, checkOverdraft);
      ps.setLong(6, pointsRefunded);
      ps.setString(7, orderId);
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("order " + orderId + " is not PLACED (lock it first)");
      }
    }
  }

  /** Points this writer clawed back from the account, over all its cancelled orders. */
  public static long clawedBack(Connection tx, String accountId) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT COALESCE(SUM(points_reversed), 0) FROM customer_order"
                + " WHERE account_id = ? AND status = 'CANCELLED'")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Accounts with a cancellation whose overdraft check has not run yet (at most {@code limit}). */
  public static List<String> accountsAwaitingCheck(Connection tx, int limit) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT DISTINCT account_id FROM customer_order WHERE overdraft_check_pending = TRUE"
                + " ORDER BY account_id LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> accounts = new ArrayList<>();
        while (rs.next()) {
          accounts.add(rs.getString(1));
        }
        return accounts;
      }
    }
  }

  /**
   * Clears the overdraft check of the account's cancellations up to row version
   * {@code checkedVersion}: those whose clawback the checked balance included. A cancellation
   * committed after the balance was read keeps its flag.
   */
  public static void clearCheck(Connection tx, String accountId, long checkedVersion)
      throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE customer_order SET overdraft_check_pending = FALSE"
                + " WHERE account_id = ? AND overdraft_check_pending = TRUE"
                + " AND reverse_version <= ?")) {
      ps.setString(1, accountId);
      ps.setLong(2, checkedVersion);
      ps.executeUpdate();
    }
  }

  private static Optional<Order> one(Connection tx, String sql, String orderId)
      throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      ps.setString(1, orderId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(order(rs)) : Optional.empty();
      }
    }
  }

  private static Order order(ResultSet rs) throws SQLException {
    return new Order(
        rs.getString("order_id"),
        rs.getString("account_id"),
        rs.getBigDecimal("amount"),
        rs.getString("currency"),
        OrderStatus.valueOf(rs.getString("status")),
        rs.getLong("points_earned"),
        optionalLong(rs, "earn_version"),
        Timestamps.get(rs, "placed_at"),
        optionalLong(rs, "points_reversed"),
        optionalLong(rs, "reverse_version"),
        Optional.ofNullable(Timestamps.get(rs, "cancelled_at")),
        rs.getLong("points_redeemed"),
        optionalLong(rs, "points_refunded"));
  }

  static void setOptionalLong(PreparedStatement ps, int index, Optional<Long> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setLong(index, value.get());
    } else {
      ps.setNull(index, Types.BIGINT);
    }
  }

  static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(value);
  }
}
