package io.loyaltyledger.order.intake;

import io.loyaltyledger.ledger.http.Json;
import io.loyaltyledger.ledger.writer.CommandFingerprint;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.ledger.writer.IdempotentResult;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.RejectedCommand;
import io.loyaltyledger.ledger.writer.SqlFailures;
import io.loyaltyledger.ledger.writer.StoredResponse;
import io.loyaltyledger.order.store.OrderRecords;
import io.loyaltyledger.order.store.OrderRecords.NewOrder;
import io.loyaltyledger.order.store.OrderStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Places orders: one transaction stores the order, its idempotency record and the credit of its
 * points to this writer's ledger row. The publisher spreads the row afterwards; nothing here
 * waits for another node.
 */
public final class OrderIntake {

  static final int CREATED = 201;

  private final IdempotentCommands commands;
  private final LedgerRows rows;
  private final String writerKey;
  private final EarnRule earnRule;
  private final Clock clock;

  public OrderIntake(
      IdempotentCommands commands,
      LedgerRows rows,
      String writerKey,
      EarnRule earnRule,
      Clock clock) {
    this.commands = Objects.requireNonNull(commands);
    this.rows = Objects.requireNonNull(rows);
    this.writerKey = Objects.requireNonNull(writerKey);
    this.earnRule = Objects.requireNonNull(earnRule);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Places the order once per idempotency key. The stored answer is 201 with an {@link
   * OrderReceipt}. An order id taken by another key is rejected (409 {@code order_exists},
   * nothing stored).
   */
  public IdempotentResult place(String idempotencyKey, PlaceOrder order) {
    String fingerprint =
        CommandFingerprint.of(
            "place-order",
            order.orderId(),
            order.accountId(),
            order.amount().toPlainString(),
            order.currency());
    return commands.execute(idempotencyKey, fingerprint, tx -> place(tx, idempotencyKey, order));
  }

  private StoredResponse place(Connection tx, String idempotencyKey, PlaceOrder order)
      throws SQLException {
    if (OrderRecords.exists(tx, order.orderId())) {
      throw orderExists(order.orderId());
    }
    long points = earnRule.pointsFor(order.amount());
    Optional<Long> version =
        points > 0 ? Optional.of(rows.add(tx, order.accountId(), points, 0)) : Optional.empty();
    try {
      OrderRecords.insert(
          tx,
          new NewOrder(
              order.orderId(),
              order.accountId(),
              order.amount(),
              order.currency(),
              points,
              version,
              idempotencyKey,
              clock.instant()));
    } catch (SQLException e) {
      if (SqlFailures.isDuplicateKey(e)) {
        // placed under another key by a transaction that committed while this one ran
        throw orderExists(order.orderId());
      }
      throw e;
    }
    OrderReceipt receipt =
        new OrderReceipt(
            order.orderId(),
            order.accountId(),
            order.amount().toPlainString(),
            order.currency(),
            OrderStatus.PLACED.name(),
            points,
            version.map(v -> writerKey + ":" + v).orElse(null));
    return new StoredResponse(CREATED, Json.write(receipt));
  }

  private static RejectedCommand orderExists(String orderId) {
    return new RejectedCommand(
        409,
        "order_exists",
        "order " + orderId + " was already placed with another Idempotency-Key;"
            + " retry with the key of the first attempt to get its answer");
  }
}
