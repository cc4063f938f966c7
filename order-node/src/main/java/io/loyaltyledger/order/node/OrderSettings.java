package io.loyaltyledger.order.node;

import com.typesafe.config.Config;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.overdraft.OverdraftSettings;
import java.math.BigDecimal;

/**
 * What an order node reads beyond the node's own settings: {@code loyalty.earn} and
 * {@code loyalty.overdraft}.
 */
public record OrderSettings(EarnRule earnRule, OverdraftSettings overdraft) {

  public static OrderSettings fromConfig(Config config) {
    Config loyalty = config.getConfig("loyalty");
    String perUnit = loyalty.getString("earn.points-per-unit").trim();
    BigDecimal pointsPerUnit;
    try {
      pointsPerUnit = new BigDecimal(perUnit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "loyalty.earn.points-per-unit must be a decimal number: " + perUnit);
    }
    return new OrderSettings(
        new EarnRule(pointsPerUnit), OverdraftSettings.fromConfig(loyalty.getConfig("overdraft")));
  }
}
