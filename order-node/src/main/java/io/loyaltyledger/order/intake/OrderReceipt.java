package io.loyaltyledger.order.intake;

/**
 * The answer to a placed order (stored with its idempotency key and replayed to retries).
 * {@code token} ({@code <writerKey>:<version>}) lets a reader wait until the points are visible;
 * null when the order earned no points.
 */
public record OrderReceipt(
    String orderId,
    String accountId,
    String amount,
    String currency,
    String status,
    long pointsEarned,
    String token) {}
