package io.loyaltyledger.client;

/** The answer to a cancellation: the points clawed back and the token of the clawback. */
public record Cancellation(
    String orderId, String accountId, String status, long pointsReversed, String token) {}
