package io.loyaltyledger.client;

import java.time.Duration;

/**
 * Timeouts and retry pacing. A write is retried on its node with exponential backoff (from
 * {@code initialBackoff}, doubling up to {@code maxBackoff}) until {@code writeDeadline}. A read
 * with a token waits up to {@code visibilityWait} on the node for that write (on top of the
 * request timeout), then the node answers {@code 504 not_yet_visible}.
 */
public record ClientSettings(
    Duration connectTimeout,
    Duration requestTimeout,
    Duration writeDeadline,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration visibilityWait) {

  public static final ClientSettings DEFAULTS =
      new ClientSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMillis(100),
          Duration.ofSeconds(2),
          Duration.ofSeconds(2));
}
