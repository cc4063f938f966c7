package io.loyaltyledger.order.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * A deficit this writer registered for an account: its own clawbacks drove the balance below
 * zero. {@code eventId} identifies its notification for good, across retries and restarts.
 */
public record Overdraft(
    String overdraftId,
    String accountId,
    long deficit,
    Instant since,
    OverdraftState state,
    String eventId,
    boolean notified,
    int notifyAttempts,
    Optional<BigDecimal> chargeAmount,
    Optional<String> chargeCurrency,
    Optional<Instant> closedAt) {}
