package io.loyaltyledger.ledger.escrow;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code loyalty.transfers}: how long a redemption may spend gathering rights from other writers
 * before it answers, how long one donor gets, and how a writer with negative rights retries.
 */
public record TransferSettings(
    Duration deadline, Duration askTimeout, int coverAttempts, Duration coverBackoff) {

  public TransferSettings {
    if (deadline.isNegative() || deadline.isZero() || askTimeout.isNegative() || askTimeout.isZero()) {
      throw new IllegalArgumentException("loyalty.transfers.deadline and ask-timeout must be > 0");
    }
    if (coverAttempts < 1) {
      throw new IllegalArgumentException("loyalty.transfers.cover-attempts must be >= 1");
    }
  }

  public static TransferSettings fromConfig(Config c) {
    return new TransferSettings(
        c.getDuration("deadline"),
        c.getDuration("ask-timeout"),
        c.getInt("cover-attempts"),
        c.getDuration("cover-backoff"));
  }
}
