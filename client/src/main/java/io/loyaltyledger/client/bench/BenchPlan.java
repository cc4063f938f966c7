package io.loyaltyledger.client.bench;

import java.time.Duration;

/**
 * What a run does: how long or how many ({@code budget}), at what pace, with how many operations
 * in flight at most ({@code concurrency}), the mix, the accounts ({@code accountPrefix} + 0..
 * {@code accounts}-1), which writes get their convergence lag measured and how long a probe waits
 * ({@code lagBound}) with at most {@code lagInFlight} probes at once, the points a redemption
 * spends, and the seed of the random draws.
 */
public record BenchPlan(
    Budget budget,
    Pacing pacing,
    int concurrency,
    Mix mix,
    int accounts,
    String accountPrefix,
    LagSampler lagSampler,
    Duration lagBound,
    int lagInFlight,
    long redeemPoints,
    long seed) {

  public BenchPlan {
    if (concurrency < 1 || concurrency > 4096) {
      throw new IllegalArgumentException("--concurrency must be within 1..4096");
    }
    if (accounts < 1 || accounts > 10_000_000) {
      throw new IllegalArgumentException("--accounts must be within 1..10000000");
    }
    if (lagInFlight < 1 || lagInFlight > 1024) {
      throw new IllegalArgumentException("--lag-in-flight must be within 1..1024");
    }
    if (lagBound.isNegative() || lagBound.isZero()) {
      throw new IllegalArgumentException("--lag-timeout must be above 0");
    }
    if (redeemPoints < 1) {
      throw new IllegalArgumentException("--redeem-points must be at least 1");
    }
  }

  /** The same load for {@code duration}, with other random draws: a warm-up before this plan. */
  public BenchPlan warmUp(Duration duration) {
    return new BenchPlan(Budget.of(duration), pacing, concurrency, mix, accounts, accountPrefix,
        lagSampler, lagBound, lagInFlight, redeemPoints, ~seed);
  }
}
