package io.loyaltyledger.ledger.node;

import com.typesafe.config.Config;
import java.time.Duration;

/** How a node downed by the split brain resolver paces its attempts to rejoin the cluster. */
public record RejoinSettings(Duration minBackoff, Duration maxBackoff) {

  public static RejoinSettings fromConfig(Config c) {
    RejoinSettings settings =
        new RejoinSettings(c.getDuration("min-backoff"), c.getDuration("max-backoff"));
    if (settings.minBackoff().isNegative() || settings.maxBackoff().compareTo(settings.minBackoff()) < 0) {
      throw new IllegalArgumentException(
          "loyalty.cluster.rejoin: need 0 <= min-backoff <= max-backoff, got " + settings);
    }
    return settings;
  }

  /** The wait before attempt {@code attempt} (1 = the first after an incarnation ended). */
  public Duration backoff(int attempt) {
    Duration wait = minBackoff;
    for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
