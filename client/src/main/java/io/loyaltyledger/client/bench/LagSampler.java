package io.loyaltyledger.client.bench;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Which acknowledged writes get their convergence lag measured: a fraction ({@code 0.05}, i.e.
 * 5%), every n-th ({@code 20} or {@code 1/20}), all ({@code 1}) or none ({@code 0}). Sampling is
 * spread evenly and deterministic: with fraction {@code p/q}, write {@code n} (from 1) is sampled
 * when {@code floor(n·p/q)} steps up.
 */
public final class LagSampler {

  private final long numerator;
  private final long denominator;

  private LagSampler(long numerator, long denominator) {
    BigInteger gcd = BigInteger.valueOf(numerator).gcd(BigInteger.valueOf(denominator));
    long g = Math.max(1, gcd.longValue());
    this.numerator = numerator / g;
    this.denominator = denominator / g;
  }

  public static LagSampler parse(String text) {
    String t = text == null ? "" : text.strip();
    try {
      if (t.startsWith("1/")) {
        long n = Long.parseLong(t.substring(2).strip());
        if (n >= 1) {
          return new LagSampler(1, n);
        }
      } else {
        BigDecimal value = new BigDecimal(t);
        if (value.signum() >= 0 && value.compareTo(BigDecimal.ONE) <= 0 && value.scale() <= 9) {
          BigDecimal scaled = value.stripTrailingZeros();
          int scale = Math.max(0, scaled.scale());
          long den = BigInteger.TEN.pow(scale).longValueExact();
          long num = scaled.movePointRight(scale).longValueExact();
          return new LagSampler(num, den);
        }
        if (value.compareTo(BigDecimal.ONE) > 0 && value.stripTrailingZeros().scale() <= 0) {
          return new LagSampler(1, value.longValueExact());
        }
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        "--lag-sample: '" + text + "' is neither a fraction 0..1 (0.05 = 5% of the writes) nor"
            + " a whole number N (every N-th write)");
  }

  /** Whether the {@code n}-th acknowledged write (from 1) is measured. */
  public boolean sample(long n) {
    if (numerator == 0 || n < 1) {
      return false;
    }
    return Math.floorDiv(n * numerator, denominator) > Math.floorDiv((n - 1) * numerator, denominator);
  }

  public boolean never() {
    return numerator == 0;
  }

  /** {@code none}, {@code every write}, {@code 1 in 20}, or a percentage. */
  public String describe() {
    if (numerator == 0) {
      return "none";
    }
    if (numerator == denominator) {
      return "every write";
    }
    if (numerator == 1) {
      return "1 in " + denominator;
    }
    return Report.number(100.0 * numerator / denominator) + "% of the writes";
  }
}
