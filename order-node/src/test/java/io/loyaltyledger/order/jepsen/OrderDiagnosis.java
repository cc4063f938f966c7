package io.loyaltyledger.order.jepsen;

import io.loyaltyledger.ledger.jepsen.CounterChecker;
import io.loyaltyledger.ledger.jepsen.History;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.writer.StoredRow;
import io.loyaltyledger.order.store.Order;
import io.loyaltyledger.order.store.OrderRecords;
import io.loyaltyledger.order.store.OrderStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an order scenario prints when its checker fails, beside {@code Diagnosis}: every order,
 * redemption and cancellation of the history looked up in the database of the order node that
 * took it, and each order node's ledger row of each account beside the sums its order records
 * imply. A mismatch names the operation whose recorded outcome is wrong (a refusal that was
 * stored, an acknowledgement that was not); a row that differs from its records names a wrong
 * row change.
 */
final class OrderDiagnosis {

  private OrderDiagnosis() {}

  /** @param orderNodes the order nodes by the name the history records for them */
  static void crossCheck(History history, Map<String, LedgerNode> orderNodes,
      Iterable<String> accounts) {
    Set<String> placedRefs = new HashSet<>();
    Set<String> cancelRefs = new HashSet<>();
    int mismatches = 0;
    for (History.Op op : history.ops()) {
      LedgerNode node = orderNodes.get(op.node());
      if (node == null || op.ref().isEmpty()) {
        continue;
      }
      boolean cancel = op.kind().equals("cancel");
      (cancel ? cancelRefs : placedRefs).add(op.node() + "/" + op.ref());
      Optional<Order> order = node.database().inTransaction(tx -> OrderRecords.find(tx, op.ref()));
      String problem = cancel ? checkCancel(op, order) : checkPlace(op, order);
      if (problem != null) {
        mismatches++;
        System.out.println("order diagnosis MISMATCH " + problem + ": " + op + "; stored "
            + order.map(OrderDiagnosis::describe).orElse("nothing"));
      } else if (op.outcome() != History.Outcome.OK && op.outcome() != History.Outcome.FAILED) {
        System.out.println("order diagnosis (not definite) " + op + "; stored "
            + order.map(OrderDiagnosis::describe).orElse("nothing"));
      }
    }
    System.out.println("order diagnosis: " + mismatches + " operation(s) whose outcome disagrees"
        + " with the order records");
    for (Map.Entry<String, LedgerNode> entry : orderNodes.entrySet()) {
      String name = entry.getKey();
      LedgerNode node = entry.getValue();
      for (String account : accounts) {
        // orders stored that no operation of the history placed or cancelled
        for (Order o : ordersOf(node, account)) {
          String ref = name + "/" + o.orderId();
          if (!placedRefs.contains(ref)) {
            System.out.println("order diagnosis MISMATCH stored, not in the history: " + name + " "
                + describe(o));
          } else if (o.status() == OrderStatus.CANCELLED && !cancelRefs.contains(ref)) {
            System.out.println("order diagnosis MISMATCH cancelled, no cancel in the history: "
                + name + " " + describe(o));
          }
        }
        Sums sums = sums(node, account);
        Optional<StoredRow> row = node.rows().row(account);
        long credited = row.map(StoredRow::credited).orElse(0L);
        long debited = row.map(StoredRow::debited).orElse(0L);
        long historyNet = history.ops().stream()
            .filter(op -> op.node().equals(name) && op.account().equals(account)
                && op.outcome() == History.Outcome.OK)
            .mapToLong(History.Op::delta).sum();
        boolean differs = credited != sums.credited() || debited != sums.debited()
            || historyNet != sums.credited() - sums.debited();
        System.out.println("order diagnosis " + account + " " + node.database().writerKey().value()
            + ": records imply credited " + sums.credited() + " (earned " + sums.earned()
            + " + refunded " + sums.refunded() + " + settled " + sums.settled() + ") debited "
            + sums.debited() + " (redeemed " + sums.redeemed() + " + reversed " + sums.reversed()
            + "), net " + (sums.credited() - sums.debited()) + "; database row " + credited + "/"
            + debited + " v" + row.map(StoredRow::version).orElse(0L) + "; history acknowledged"
            + " net " + historyNet + (differs ? "  <-- differs" : ""));
      }
    }
  }

  private static String checkPlace(History.Op op, Optional<Order> order) {
    if (op.outcome() == History.Outcome.FAILED && order.isPresent()) {
      return "refused but stored";
    }
    if (op.outcome() == History.Outcome.OK && order.isEmpty()) {
      return "acknowledged but not stored";
    }
    if (order.isPresent()) {
      Order o = order.get();
      if (!o.accountId().equals(op.account())) {
        return "stored on another account";
      }
      if (o.pointsEarned() - o.pointsRedeemed() != op.delta()) {
        return "points differ";
      }
      if (op.kind().equals(CounterChecker.REDEEM) != (o.pointsRedeemed() > 0)) {
        return "redemption differs";
      }
    }
    return null;
  }

  private static String checkCancel(History.Op op, Optional<Order> order) {
    boolean cancelled = order.isPresent() && order.get().status() == OrderStatus.CANCELLED;
    if (op.outcome() == History.Outcome.FAILED && cancelled) {
      return "refused but cancelled";
    }
    if (op.outcome() == History.Outcome.OK && !cancelled) {
      return "acknowledged but not cancelled";
    }
    if (cancelled) {
      Order o = order.get();
      long moved = o.pointsRefunded().orElse(0L) - o.pointsReversed().orElse(0L);
      if (moved != op.delta()) {
        return "points differ";
      }
    }
    return null;
  }

  private static String describe(Order o) {
    return o.orderId() + " " + o.accountId() + " " + o.status() + " earned " + o.pointsEarned()
        + " v" + o.earnVersion().map(String::valueOf).orElse("-") + " redeemed "
        + o.pointsRedeemed() + (o.status() == OrderStatus.CANCELLED
            ? " reversed " + o.pointsReversed().orElse(0L) + " refunded "
                + o.pointsRefunded().orElse(0L) + " v"
                + o.reverseVersion().map(String::valueOf).orElse("-")
            : "") + " placed " + o.placedAt();
  }

  private static List<Order> ordersOf(LedgerNode node, String account) {
    return node.database().inTransaction(tx -> {
      List<String> ids = new java.util.ArrayList<>();
      try (PreparedStatement ps = tx.prepareStatement(
          "SELECT order_id FROM customer_order WHERE account_id = ? ORDER BY placed_at")) {
        ps.setString(1, account);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      List<Order> orders = new java.util.ArrayList<>();
      for (String id : ids) {
        OrderRecords.find(tx, id).ifPresent(orders::add);
      }
      return orders;
    });
  }

  private record Sums(long earned, long refunded, long settled, long redeemed, long reversed) {
    long credited() {
      return earned + refunded + settled;
    }

    long debited() {
      return redeemed + reversed;
    }
  }

  private static Sums sums(LedgerNode node, String account) {
    return node.database().inTransaction(tx -> {
      long earned;
      long refunded;
      long redeemed;
      long reversed;
      try (PreparedStatement ps = tx.prepareStatement(
          "SELECT COALESCE(SUM(points_earned), 0), COALESCE(SUM(points_refunded), 0),"
              + " COALESCE(SUM(points_redeemed), 0), COALESCE(SUM(points_reversed), 0)"
              + " FROM customer_order WHERE account_id = ?")) {
        ps.setString(1, account);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          earned = rs.getLong(1);
          refunded = rs.getLong(2);
          redeemed = rs.getLong(3);
          reversed = rs.getLong(4);
        }
      }
      long settled;
      try (PreparedStatement ps = tx.prepareStatement(
          "SELECT COALESCE(SUM(points), 0) FROM overdraft_charge WHERE account_id = ?")) {
        ps.setString(1, account);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          settled = rs.getLong(1);
        }
      }
      return new Sums(earned, refunded, settled, redeemed, reversed);
    });
  }
}
