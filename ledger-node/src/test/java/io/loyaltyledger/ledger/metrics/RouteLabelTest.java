package io.loyaltyledger.ledger.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteLabelTest {

  @Test
  void identifiersBecomePlaceholders() {
    assertThat(RouteLabel.of("/v1/accounts/alice")).isEqualTo("/v1/accounts/{id}");
    assertThat(RouteLabel.of("/v1/accounts/alice/adjustments"))
        .isEqualTo("/v1/accounts/{id}/adjustments");
    assertThat(RouteLabel.of("/v1/orders")).isEqualTo("/v1/orders");
    assertThat(RouteLabel.of("/v1/orders/o-17/cancel")).isEqualTo("/v1/orders/{id}/cancel");
    assertThat(RouteLabel.of("/ready")).isEqualTo("/ready");
    assertThat(RouteLabel.of("/metrics")).isEqualTo("/metrics");
  }

  @Test
  void whateverClientsSendGivesBoundedLabels() {
    assertThat(RouteLabel.of("/wp-admin/setup.php")).isEqualTo("other");
    assertThat(RouteLabel.of("/v1/Users/123")).isEqualTo("/v1/{other}/{other}");
    assertThat(RouteLabel.of("/v1/a/b/c/d/e/f/g")).isEqualTo("other");
    assertThat(RouteLabel.of("/")).isEqualTo("/");
  }
}
