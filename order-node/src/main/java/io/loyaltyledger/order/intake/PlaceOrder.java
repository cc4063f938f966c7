package io.loyaltyledger.order.intake;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A request to place an order, validated by the HTTP layer: ids of the API's form, an amount
 * above zero and at most {@link #MAX_AMOUNT} with cents at most, a currency of three capitals,
 * and the points to redeem (0..{@link #MAX_REDEEM}). The amount is normalized to two decimals,
 * so "59.9" and "59.90" are the same order.
 */
public record PlaceOrder(
    String orderId, String accountId, BigDecimal amount, String currency, long redeemPoints) {

  public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");
  /** As an adjustment: no sum of redemptions can overflow a row. */
  public static final long MAX_REDEEM = 1_000_000_000_000L;

  public PlaceOrder(String orderId, String accountId, BigDecimal amount, String currency) {
    this(orderId, accountId, amount, currency, 0);
  }

  public PlaceOrder {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(currency, "currency");
    if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException("amount must be in (0, " + MAX_AMOUNT + "]: " + amount);
    }
    if (amount.stripTrailingZeros().scale() > 2) {
      throw new IllegalArgumentException("amount has more than two decimals: " + amount);
    }
    amount = amount.setScale(2);
    if (redeemPoints < 0 || redeemPoints > MAX_REDEEM) {
      throw new IllegalArgumentException("redeemPoints must be in 0.." + MAX_REDEEM);
    }
  }
}
