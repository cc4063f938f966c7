package io.loyaltyledger.client.bench;

import java.time.Duration;

/** How much a run does: for a while ({@code --duration}) or a number of operations ({@code --operations}). */
public sealed interface Budget {

  /**
   * Whether operation {@code ticket} (from 0) is still part of the run; {@code offsetNanos} is
   * its intended start (open loop) or the time it would start (closed loop), from the run's start.
   */
  boolean admits(long ticket, long offsetNanos);

  /** How far the run is, 0..1. */
  double fraction(long started, long elapsedNanos);

  String describe();

  static Budget of(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be above 0");
    }
    return new Time(duration);
  }

  static Budget of(long operations) {
    if (operations <= 0) {
      throw new IllegalArgumentException("--operations must be at least 1");
    }
    return new Count(operations);
  }

  record Time(Duration duration) implements Budget {
    @Override
    public boolean admits(long ticket, long offsetNanos) {
      return offsetNanos < duration.toNanos();
    }

    @Override
    public double fraction(long started, long elapsedNanos) {
      return Math.min(1.0, (double) elapsedNanos / duration.toNanos());
    }

    @Override
    public String describe() {
      return DurationText.format(duration);
    }
  }

  record Count(long operations) implements Budget {
    @Override
    public boolean admits(long ticket, long offsetNanos) {
      return ticket < operations;
    }

    @Override
    public double fraction(long started, long elapsedNanos) {
      return Math.min(1.0, (double) started / operations);
    }

    @Override
    public String describe() {
      return operations + " operations";
    }
  }
}
