package io.loyaltyledger.ledger.http.auth;

/** What a request needs, and what a bearer token grants: each level includes the ones before. */
public enum Access {
  /** Anyone: health checks (and reads, or metrics, when configured open). */
  NONE,
  /** Reads: GET, HEAD, OPTIONS. */
  READ,
  /** Everything else: every request that may change something. */
  WRITE;

  public boolean covers(Access required) {
    return compareTo(required) >= 0;
  }
}
