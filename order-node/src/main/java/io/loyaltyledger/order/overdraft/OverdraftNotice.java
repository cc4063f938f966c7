package io.loyaltyledger.order.overdraft;

/**
 * The body of a webhook call. {@code eventId} is fixed when the deficit is registered: a receiver
 * that sees it twice (a retry after a lost answer) can drop the copy. It is also sent as the
 * {@code Idempotency-Key} header.
 */
public record OverdraftNotice(
    String eventId,
    String type,
    String overdraftId,
    String accountId,
    long deficit,
    String since,
    String chargeableFrom,
    String chargePerPoint,
    String chargeCurrency,
    String writer) {}
