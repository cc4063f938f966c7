package io.loyaltyledger.order.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.overdraft.OverdraftSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order node's settings as config/order-node.conf gives them, and the ones it refuses. */
class OrderSettingsTest {

  private static Config orderNodeConf(Map<String, Object> overrides) {
    return ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.parseFile(TestNodes.projectFile("config/order-node.conf").toFile()))
        .withFallback(ConfigFactory.parseString("loyalty.node.name = order-1"))
        .resolve();
  }

  @Test
  void theShippedConfigurationHasTheDocumentedDefaults() {
    OrderSettings settings = OrderSettings.fromConfig(orderNodeConf(Map.of()));
    assertThat(settings.earnRule().pointsPerUnit()).isEqualByComparingTo("1");
    OverdraftSettings overdraft = settings.overdraft();
    assertThat(overdraft.gracePeriod()).isEqualTo(Duration.ofDays(7));
    assertThat(overdraft.chargePerPoint()).isEqualByComparingTo("0.01");
    assertThat(overdraft.chargeCurrency()).isEqualTo("EUR");
    assertThat(overdraft.webhookUrl()).isEmpty();
    assertThat(overdraft.checkInterval()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void pointsAreTheAmountTimesTheRateRoundedDown() {
    EarnRule rule = new EarnRule(new BigDecimal("1.5"));
    assertThat(rule.pointsFor(new BigDecimal("59.90"))).isEqualTo(89);
    assertThat(rule.pointsFor(new BigDecimal("0.66"))).isZero();
    assertThat(new EarnRule(BigDecimal.ONE).pointsFor(new BigDecimal("1000000.00"))).isEqualTo(1_000_000);
    assertThat(OrderSettings.fromConfig(orderNodeConf(Map.of("loyalty.earn.points-per-unit", "0.1")))
            .earnRule().pointsFor(new BigDecimal("59.90")))
        .isEqualTo(5);
  }

  @Test
  void aChargeIsRoundedToCentsAndRetriesBackOffExponentially() {
    OverdraftSettings settings =
        OrderSettings.fromConfig(
                orderNodeConf(
                    Map.of(
                        "loyalty.overdraft.charge-per-point", "0.015",
                        "loyalty.overdraft.webhook-backoff", "1s",
                        "loyalty.overdraft.webhook-max-backoff", "5s")))
            .overdraft();
    assertThat(settings.chargeFor(3)).isEqualByComparingTo("0.05");
    assertThat(settings.chargeFor(40)).isEqualByComparingTo("0.60");
    assertThat(settings.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.backoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(settings.backoffAfter(4)).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.backoffAfter(60)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void mistakesInTheConfigurationStopTheNodeWithAClearMessage() {
    assertThatThrownBy(() -> OrderSettings.fromConfig(orderNodeConf(Map.of("loyalty.earn.points-per-unit", "-1"))))
        .hasMessageContaining("points-per-unit");
    assertThatThrownBy(() -> OrderSettings.fromConfig(orderNodeConf(Map.of("loyalty.earn.points-per-unit", "lots"))))
        .hasMessageContaining("points-per-unit");
    assertThatThrownBy(() -> OrderSettings.fromConfig(orderNodeConf(Map.of("loyalty.overdraft.charge-per-point", "1 cent"))))
        .hasMessageContaining("charge-per-point");
    assertThatThrownBy(() -> OrderSettings.fromConfig(orderNodeConf(Map.of("loyalty.overdraft.charge-currency", "euro"))))
        .hasMessageContaining("charge-currency");
    assertThatThrownBy(() -> OrderSettings.fromConfig(orderNodeConf(Map.of("loyalty.overdraft.webhook-url", "ftp://x"))))
        .hasMessageContaining("webhook-url");
    assertThatThrownBy(() -> OrderSettings.fromConfig(orderNodeConf(Map.of("loyalty.overdraft.grace-period", "0s"))))
        .hasMessageContaining("grace-period");
  }
}
