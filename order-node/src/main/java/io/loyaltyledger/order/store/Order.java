package io.loyaltyledger.order.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * An order as stored by the node that took it. Versions are those of this writer's ledger row
 * that the credit and the clawback produced (empty when no points moved): with the writer key
 * they form the read tokens.
 */
public record Order(
    String orderId,
    String accountId,
    BigDecimal amount,
    String currency,
    OrderStatus status,
    long pointsEarned,
    Optional<Long> earnVersion,
    Instant placedAt,
    Optional<Long> pointsReversed,
    Optional<Long> reverseVersion,
    Optional<Instant> cancelledAt,
    long pointsRedeemed,
    Optional<Long> pointsRefunded) {}
