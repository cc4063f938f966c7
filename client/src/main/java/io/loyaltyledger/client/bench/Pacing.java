package io.loyaltyledger.client.bench;

/**
 * When operations start. Open loop ({@code --rate R}): operation {@code n} (from 0) is due at
 * {@code n / R} seconds after the start, whether or not earlier ones have answered, and its
 * latency counts from that intended start — a slow answer that delays the next operations is
 * charged to them too, so stalls are not hidden (no coordinated omission). Closed loop (flat
 * out): each worker starts its next operation as soon as the last one answered.
 */
public final class Pacing {

  private final double ratePerSecond;

  private Pacing(double ratePerSecond) {
    this.ratePerSecond = ratePerSecond;
  }

  public static Pacing flatOut() {
    return new Pacing(0);
  }

  /** {@code rate} operations per second; 0 means flat out. */
  public static Pacing rate(double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate) || rate > 10_000_000) {
      throw new IllegalArgumentException("--rate must be within 0..10000000 operations per second");
    }
    return new Pacing(rate);
  }

  public boolean openLoop() {
    return ratePerSecond > 0;
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }

  /** Nanoseconds from the start until operation {@code ticket} (from 0) is due; open loop only. */
  public long intendedOffsetNanos(long ticket) {
    if (!openLoop()) {
      throw new IllegalStateException("a closed loop has no schedule");
    }
    // from the ticket, not by adding up intervals: no drift over a long run
    return (long) Math.floor(ticket * 1e9 / ratePerSecond);
  }

  public String describe() {
    return openLoop()
        ? "open loop at " + Report.number(ratePerSecond) + " ops/s"
        : "closed loop (flat out)";
  }
}
