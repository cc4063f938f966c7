package io.loyaltyledger.client;

/** An order as its order node stores it; the cancel fields are null until it is cancelled. */
public record Order(
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
    Long pointsRefunded) {}
