package io.loyaltyledger.ledger.http;

import com.typesafe.config.Config;
import java.time.Duration;

/** Bounds of reads: quorum timeouts and how long a read may wait for a token. */
public record ReadSettings(Duration quorumTimeout, Duration defaultWait, Duration maxWait) {

  public static ReadSettings fromConfig(Config c) {
    return new ReadSettings(
        c.getDuration("quorum-timeout"), c.getDuration("default-wait"), c.getDuration("max-wait"));
  }
}
