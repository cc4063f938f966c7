package io.loyaltyledger.order.node;

import io.loyaltyledger.ledger.writer.StoredRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Looks into an order node's database: what a request wrote, or did not. */
public final class OrderDatabase {

  private final OrderNode node;

  public OrderDatabase(OrderNode node) {
    this.node = node;
  }

  public long count(String table) {
    return node.node()
        .database()
        .inTransaction(
            tx -> {
              try (PreparedStatement ps = tx.prepareStatement("SELECT COUNT(*) FROM " + table);
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            });
  }

  /** This writer's credited total of the account (0 without a row). */
  public long credited(String accountId) {
    return node.node().rows().row(accountId).map(StoredRow::credited).orElse(0L);
  }

  public long debited(String accountId) {
    return node.node().rows().row(accountId).map(StoredRow::debited).orElse(0L);
  }

  public boolean hasRow(String accountId) {
    return node.node().rows().row(accountId).isPresent();
  }
}
