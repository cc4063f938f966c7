package io.loyaltyledger.ledger.replica;

/** The replica could not answer at the requested level (no quorum, or it is not running). */
public final class ReplicaUnavailableException extends RuntimeException {

  public ReplicaUnavailableException(String message) {
    super(message);
  }
}
