package io.loyaltyledger.ledger.replica;

import akka.cluster.ddata.typed.javadsl.Replicator;
import java.time.Duration;

/** How many replicas must hold a merge before it counts as published. */
public record WriteLevel(boolean majority, Duration timeout) {

  public static WriteLevel local() {
    return new WriteLevel(false, Duration.ZERO);
  }

  public static WriteLevel majority(Duration timeout) {
    return new WriteLevel(true, timeout);
  }

  Replicator.WriteConsistency consistency() {
    return majority ? new Replicator.WriteMajority(timeout) : Replicator.writeLocal();
  }
}
