package io.loyaltyledger.order.overdraft;

/**
 * What one sweep did: cancellations checked late, deficits settled, charged or lowered, open ones
 * skipped (their balance could not be read from a majority), notices resumed.
 */
public record SweepReport(
    int checked, int settled, int charged, int lowered, int skipped, int resumedNotices) {}
