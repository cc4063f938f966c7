package io.loyaltyledger.order.intake;

/**
 * The answer to a placed order (stored with its idempotency key and replayed to retries).
 * {@code pointsRedeemed} were debited from this writer's rights in the order's transaction.
 * {@code token} ({@code <writerKey>:<version>}) lets a reader wait until the points are visible;
 * null when the order neither earned nor redeemed points.
 */
public record OrderReceipt(
    String orderId,
    String accountId,
    String amount,
    String currency,
    String status,
    long pointsEarned,
    long pointsRedeemed,
    String token) {}
