package io.loyaltyledger.order.overdraft;

import com.typesafe.config.Config;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The overdraft policy's settings: {@code loyalty.overdraft} in {@code config/order-node.conf}. */
public record OverdraftSettings(
    Duration gracePeriod,
    BigDecimal chargePerPoint,
    String chargeCurrency,
    Optional<URI> webhookUrl,
    Duration webhookTimeout,
    int webhookMaxAttempts,
    Duration webhookBackoff,
    Duration webhookMaxBackoff,
    Duration checkInterval,
    Duration readTimeout) {

  public OverdraftSettings {
    Objects.requireNonNull(webhookUrl, "webhookUrl");
    requirePositive("grace-period", gracePeriod);
    requirePositive("webhook-timeout", webhookTimeout);
    requirePositive("webhook-backoff", webhookBackoff);
    requirePositive("webhook-max-backoff", webhookMaxBackoff);
    requirePositive("check-interval", checkInterval);
    requirePositive("read-timeout", readTimeout);
    if (chargePerPoint.signum() < 0) {
      throw new IllegalArgumentException(
          "loyalty.overdraft.charge-per-point must not be negative: " + chargePerPoint);
    }
    if (!chargeCurrency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException(
          "loyalty.overdraft.charge-currency must be three capital letters: " + chargeCurrency);
    }
    if (webhookMaxAttempts < 1) {
      throw new IllegalArgumentException("loyalty.overdraft.webhook-max-attempts must be >= 1");
    }
    webhookUrl.ifPresent(
        url -> {
          if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(
                "loyalty.overdraft.webhook-url must be an http(s) URL: " + url);
          }
        });
  }

  public static OverdraftSettings fromConfig(Config c) {
    String url = c.getString("webhook-url").trim();
    BigDecimal charge;
    try {
      charge = new BigDecimal(c.getString("charge-per-point").trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "loyalty.overdraft.charge-per-point must be a decimal number: "
              + c.getString("charge-per-point"));
    }
    return new OverdraftSettings(
        c.getDuration("grace-period"),
        charge,
        c.getString("charge-currency"),
        url.isEmpty() ? Optional.empty() : Optional.of(URI.create(url)),
        c.getDuration("webhook-timeout"),
        c.getInt("webhook-max-attempts"),
        c.getDuration("webhook-backoff"),
        c.getDuration("webhook-max-backoff"),
        c.getDuration("check-interval"),
        c.getDuration("read-timeout"));
  }

  /** What a deficit of {@code points} costs the customer, rounded half-up to cents. */
  public BigDecimal chargeFor(long points) {
    return chargePerPoint.multiply(BigDecimal.valueOf(points)).setScale(2, RoundingMode.HALF_UP);
  }

  /** The wait before the next delivery attempt after {@code attempts} failed ones (1, 2, …). */
  public Duration backoffAfter(int attempts) {
    Duration wait = webhookBackoff;
    for (int i = 1; i < attempts && wait.compareTo(webhookMaxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(webhookMaxBackoff) < 0 ? wait : webhookMaxBackoff;
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("loyalty.overdraft." + name + " must be positive");
    }
  }
}
