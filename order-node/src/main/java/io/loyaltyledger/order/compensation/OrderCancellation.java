package io.loyaltyledger.order.compensation;

import io.loyaltyledger.ledger.http.Json;
import io.loyaltyledger.ledger.writer.CommandFingerprint;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.ledger.writer.IdempotentResult;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.RejectedCommand;
import io.loyaltyledger.ledger.writer.StoredResponse;
import io.loyaltyledger.order.store.Order;
import io.loyaltyledger.order.store.OrderRecords;
import io.loyaltyledger.order.store.OrderStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Cancels orders: the compensation of an order is a forced debit of the points it earned, and a
 * refund (credit) of the points it redeemed. The debit is
 * never refused, even when it overdraws the account — the overdraft policy deals with that
 * afterwards. One transaction marks the order CANCELLED, debits this writer's row and stores the
 * idempotency record; an order is cancelled once, whatever the keys of its cancellations.
 */
public final class OrderCancellation {

  static final int OK = 200;

  private final IdempotentCommands commands;
  private final LedgerRows rows;
  private final String writerKey;
  private final Clock clock;
  private final Consumer<String> afterClawback;

  /**
   * @param afterClawback called with the account after a cancellation that clawed points back has
   *     committed (the overdraft policy checks the account's balance)
   */
  public OrderCancellation(
      IdempotentCommands commands,
      LedgerRows rows,
      String writerKey,
      Clock clock,
      Consumer<String> afterClawback) {
    this.commands = Objects.requireNonNull(commands);
    this.rows = Objects.requireNonNull(rows);
    this.writerKey = Objects.requireNonNull(writerKey);
    this.clock = Objects.requireNonNull(clock);
    this.afterClawback = Objects.requireNonNull(afterClawback);
  }

  /**
   * Cancels the order once per idempotency key; the stored answer is 200 with a {@link
   * CancellationReceipt}. An unknown order is rejected (404 {@code order_not_found}, nothing
   * stored, so the key may be used once the order exists).
   */
  public IdempotentResult cancel(String idempotencyKey, String orderId) {
    AtomicReference<String> clawedFrom = new AtomicReference<>();
    IdempotentResult result =
        commands.execute(
            idempotencyKey,
            CommandFingerprint.of("cancel-order", orderId),
            tx -> {
              clawedFrom.set(null); // the work runs again when its transaction is retried
              return cancel(tx, idempotencyKey, orderId, clawedFrom);
            });
    if (result instanceof IdempotentResult.Executed && clawedFrom.get() != null) {
      afterClawback.accept(clawedFrom.get());
    }
    return result;
  }

  private StoredResponse cancel(
      Connection tx, String idempotencyKey, String orderId, AtomicReference<String> clawedFrom)
      throws SQLException {
    Order order =
        OrderRecords.lock(tx, orderId)
            .orElseThrow(
                () ->
                    new RejectedCommand(
                        404, "order_not_found", "no order " + orderId + " on this node"));
    if (order.status() == OrderStatus.CANCELLED) {
      // Cancelled before (under another key): nothing changes, the first answer's values.
      return receipt(order, order.pointsReversed().orElse(0L), order.pointsRefunded().orElse(0L),
          order.reverseVersion());
    }
    long points = order.pointsEarned();
    long refund = order.pointsRedeemed();
    // One row change: the refund of the redeemed points (a credit, this writer's rights again)
    // and the forced debit of the earned ones.
    Optional<Long> version =
        points > 0 || refund > 0
            ? Optional.of(rows.add(tx, order.accountId(), refund, points))
            : Optional.empty();
    OrderRecords.markCancelled(
        tx, orderId, points, refund, version, idempotencyKey, clock.instant(), points > 0);
    if (points > 0) {
      clawedFrom.set(order.accountId());
    }
    return receipt(order, points, refund, version);
  }

  private StoredResponse receipt(
      Order order, long pointsReversed, long pointsRefunded, Optional<Long> version) {
    CancellationReceipt receipt =
        new CancellationReceipt(
            order.orderId(),
            order.accountId(),
            OrderStatus.CANCELLED.name(),
            pointsReversed,
            pointsRefunded,
            version.map(v -> writerKey + ":" + v).orElse(null));
    return new StoredResponse(OK, Json.write(receipt));
  }
}
