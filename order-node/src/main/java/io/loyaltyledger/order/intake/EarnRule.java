package io.loyaltyledger.order.intake;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How many points an order earns: {@code floor(amount × pointsPerUnit)}. */
public record EarnRule(BigDecimal pointsPerUnit) {

  /** With amounts up to 10^6, no order earns more than 10^12 points (an adjustment's bound). */
  public static final BigDecimal MAX_POINTS_PER_UNIT = new BigDecimal("1000000");

  public EarnRule {
    if (pointsPerUnit.signum() < 0 || pointsPerUnit.compareTo(MAX_POINTS_PER_UNIT) > 0) {
      throw new IllegalArgumentException(
          "loyalty.earn.points-per-unit must be in 0.." + MAX_POINTS_PER_UNIT + ", was "
              + pointsPerUnit.toPlainString());
    }
  }

  public long pointsFor(BigDecimal amount) {
    return amount.multiply(pointsPerUnit).setScale(0, RoundingMode.FLOOR).longValueExact();
  }
}
