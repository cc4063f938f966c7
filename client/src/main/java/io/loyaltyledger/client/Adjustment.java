package io.loyaltyledger.client;

/** An administrative credit (points above 0) or forced debit (below 0). */
public record Adjustment(
    String adjustmentId, String accountId, long points, String reason, String token) {}
