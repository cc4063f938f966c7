package io.loyaltyledger.client;

/**
 * The answer to a cancellation: the points clawed back, the redeemed points refunded, and the
 * token of that row change.
 */
public record Cancellation(
    String orderId,
    String accountId,
    String status,
    long pointsReversed,
    long pointsRefunded,
    String token) {}
