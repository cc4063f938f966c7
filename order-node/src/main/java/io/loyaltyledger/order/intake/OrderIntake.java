package io.loyaltyledger.order.intake;

import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.escrow.Escrow;
import io.loyaltyledger.ledger.escrow.Spending;
import io.loyaltyledger.ledger.escrow.TransferSettings;
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
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Places orders: one transaction stores the order, its idempotency record and the credit of its
 * points to this writer's ledger row — and, when the order redeems points, the check of this
 * writer's rights and their debit. The publisher spreads the row afterwards. Only a redemption
 * that this writer's rights cannot cover waits for another node (a rights transfer).
 */
public final class OrderIntake {

  static final int CREATED = 201;
  private static final TransferSettings LOCAL_ONLY =
      new TransferSettings(Duration.ofSeconds(1), Duration.ofMillis(400), 1, Duration.ofSeconds(1));

  private final IdempotentCommands commands;
  private final LedgerRows rows;
  private final String writerKey;
  private final EarnRule earnRule;
  private final Clock clock;
  private final Spending spending;

  /** Redemptions use this writer's own rights only, with nobody to ask (no cluster). */
  public OrderIntake(
      IdempotentCommands commands,
      LedgerRows rows,
      String writerKey,
      EarnRule earnRule,
      Clock clock) {
    this(commands, rows, writerKey, earnRule, clock,
        Escrow.localOnly(rows, WriterKey.parse(writerKey), LOCAL_ONLY));
  }

  public OrderIntake(
      IdempotentCommands commands,
      LedgerRows rows,
      String writerKey,
      EarnRule earnRule,
      Clock clock,
      Spending spending) {
    this.spending = Objects.requireNonNull(spending);
    this.commands = Objects.requireNonNull(commands);
    this.rows = Objects.requireNonNull(rows);
    this.writerKey = Objects.requireNonNull(writerKey);
    this.earnRule = Objects.requireNonNull(earnRule);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Places the order once per idempotency key. The stored answer is 201 with an {@link
   * OrderReceipt}. An order id taken by another key is rejected (409 {@code order_exists},
   * nothing stored); so is a redemption the points do not cover (409 {@code
   * insufficient_points}, or 503 {@code transfer_unavailable} when a node that may hold them did
   * not answer within the deadline).
   */
  public IdempotentResult place(String idempotencyKey, PlaceOrder order) {
    String fingerprint =
        order.redeemPoints() == 0
            ? CommandFingerprint.of(
                "place-order",
                order.orderId(),
                order.accountId(),
                order.amount().toPlainString(),
                order.currency())
            : CommandFingerprint.of(
                "place-order/redeem",
                order.orderId(),
                order.accountId(),
                order.amount().toPlainString(),
                order.currency(),
                order.redeemPoints());
    if (order.redeemPoints() == 0) {
      return commands.execute(idempotencyKey, fingerprint, tx -> place(tx, idempotencyKey, order));
    }
    return spending.spend(
        order.accountId(),
        idempotencyKey,
        () -> commands.execute(idempotencyKey, fingerprint, tx -> place(tx, idempotencyKey, order)));
  }

  private StoredResponse place(Connection tx, String idempotencyKey, PlaceOrder order)
      throws SQLException {
    long points = earnRule.pointsFor(order.amount());
    long redeem = order.redeemPoints();
    if (redeem > 0) {
      // a taken order id must not cost a rights check (or a transfer) first; an order that only
      // earns learns it from the INSERT below, which rolls back its credit with it
      if (OrderRecords.exists(tx, order.orderId())) {
        throw orderExists(order.orderId());
      }
      // the points this order earns are not spendable on the order itself
      spending.require(tx, order.accountId(), redeem);
    }
    Optional<Long> version =
        points > 0 || redeem > 0
            ? Optional.of(rows.add(tx, order.accountId(), points, redeem))
            : Optional.empty();
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
              clock.instant(),
              redeem));
    } catch (SQLException e) {
      if (SqlFailures.isDuplicateKey(e)) {
        // placed under another key, before or while this transaction ran
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
            redeem,
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
