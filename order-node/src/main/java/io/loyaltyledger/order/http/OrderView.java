package io.loyaltyledger.order.http;

import io.loyaltyledger.order.store.Order;

/**
 * The JSON shape of {@code GET /v1/orders/{id}}. {@code token} is the read token of the points
 * credit, {@code cancelToken} the one of the clawback (null when no points moved).
 */
record OrderView(
    String orderId,
    String accountId,
    String amount,
    String currency,
    String status,
    long pointsEarned,
    long pointsRedeemed,
    String token,
    String placedAt,
    Long pointsReversed,
    String cancelToken,
    String cancelledAt,
    Long pointsRefunded) {

  static OrderView of(Order order, String writerKey) {
    return new OrderView(
        order.orderId(),
        order.accountId(),
        order.amount().toPlainString(),
        order.currency(),
        order.status().name(),
        order.pointsEarned(),
        order.pointsRedeemed(),
        order.earnVersion().map(v -> writerKey + ":" + v).orElse(null),
        order.placedAt().toString(),
        order.pointsReversed().orElse(null),
        order.reverseVersion().map(v -> writerKey + ":" + v).orElse(null),
        order.cancelledAt().map(Object::toString).orElse(null),
        order.pointsRefunded().orElse(null));
  }
}
