package io.loyaltyledger.ledger.publish;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the publisher paces itself. Deltas of every bucket changed within one delta-propagation tick
 * travel in one Artery message, which is dropped above the frame size: hence a byte budget per tick.
 */
public record PublisherSettings(
    Duration tick,
    int byteBudgetPerTick,
    int maxRowsPerUpdate,
    int maxUpdatesInFlight,
    Duration writeTimeout,
    Duration maxBackoff,
    int maxUnmarkedRows,
    Duration flushOnStop) {

  public static PublisherSettings fromConfig(Config c) {
    return new PublisherSettings(
        c.getDuration("tick"),
        (int) c.getMemorySize("byte-budget-per-tick").toBytes(),
        c.getInt("max-rows-per-update"),
        c.getInt("max-updates-in-flight"),
        c.getDuration("write-timeout"),
        c.getDuration("max-backoff"),
        c.getInt("max-unmarked-rows"),
        c.getDuration("flush-on-stop"));
  }
}
