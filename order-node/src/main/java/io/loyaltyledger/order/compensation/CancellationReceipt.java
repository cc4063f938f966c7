package io.loyaltyledger.order.compensation;

/**
 * The answer to a cancellation: the points clawed back, the redeemed points refunded, and the token of the clawback (null when
 * the order had earned nothing). Every cancellation of one order answers the first one's values.
 */
public record CancellationReceipt(
    String orderId,
    String accountId,
    String status,
    long pointsReversed,
    long pointsRefunded,
    String token) {}
