package io.loyaltyledger.ledger.publish;

import com.typesafe.config.Config;
import java.time.Duration;

/** How often and how widely the reconciler compares the writer's database with the replica. */
public record ReconcilerSettings(
    Duration interval, Duration unverifiedRetry, Duration readTimeout, int readsInFlight) {

  public static ReconcilerSettings fromConfig(Config c) {
    return new ReconcilerSettings(
        c.getDuration("interval"),
        c.getDuration("unverified-retry"),
        c.getDuration("read-timeout"),
        c.getInt("reads-in-flight"));
  }
}
