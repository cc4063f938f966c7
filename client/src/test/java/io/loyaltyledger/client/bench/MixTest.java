package io.loyaltyledger.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import org.junit.jupiter.api.Test;

class MixTest {

  @Test
  void theDefaultMixIsPercentages() {
    Mix mix = Mix.parse(Mix.DEFAULT);
    assertThat(mix.percent(Operation.ORDERS)).isEqualTo(60);
    assertThat(mix.percent(Operation.CANCELLATIONS)).isEqualTo(10);
    assertThat(mix.percent(Operation.REDEMPTIONS)).isEqualTo(10);
    assertThat(mix.percent(Operation.READS)).isEqualTo(20);
    assertThat(mix.describe()).isEqualTo("orders=60%,cancellations=10%,redemptions=10%,reads=20%");
    assertThat(mix.writes()).isTrue();
    assertThat(mix.reads()).isTrue();
  }

  @Test
  void weightsOfAnyScaleAndSingularNamesAndUnnamedOperationsAreZero() {
    Mix mix = Mix.parse(" Order = 3, read=1 ");
    assertThat(mix.percent(Operation.ORDERS)).isEqualTo(75);
    assertThat(mix.percent(Operation.READS)).isEqualTo(25);
    assertThat(mix.weight(Operation.CANCELLATIONS)).isZero();
    assertThat(mix.operations()).containsExactly(Operation.ORDERS, Operation.READS);
    assertThat(Mix.parse("reads=5").writes()).isFalse();
  }

  @Test
  void aDrawMapsToTheOperationWhoseShareItFallsIn() {
    Mix mix = Mix.parse(Mix.DEFAULT);
    assertThat(mix.pick(0.0)).isEqualTo(Operation.ORDERS);
    assertThat(mix.pick(0.5999)).isEqualTo(Operation.ORDERS);
    assertThat(mix.pick(0.60)).isEqualTo(Operation.CANCELLATIONS);
    assertThat(mix.pick(0.6999)).isEqualTo(Operation.CANCELLATIONS);
    assertThat(mix.pick(0.70)).isEqualTo(Operation.REDEMPTIONS);
    assertThat(mix.pick(0.80)).isEqualTo(Operation.READS);
    assertThat(mix.pick(Math.nextDown(1.0))).isEqualTo(Operation.READS);
    // operations of weight 0 are never drawn
    Mix readsAndOrders = Mix.parse("orders=1,cancellations=0,reads=1");
    assertThat(readsAndOrders.pick(0.5)).isEqualTo(Operation.READS);
  }

  @Test
  void evenlySpacedDrawsFollowTheWeights() {
    Mix mix = Mix.parse("orders=6,cancellations=1,redemptions=1,reads=2");
    EnumMap<Operation, Integer> counts = new EnumMap<>(Operation.class);
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      counts.merge(mix.pick((i + 0.5) / n), 1, Integer::sum);
    }
    assertThat(counts).containsEntry(Operation.ORDERS, 6_000).containsEntry(Operation.CANCELLATIONS, 1_000)
        .containsEntry(Operation.REDEMPTIONS, 1_000).containsEntry(Operation.READS, 2_000);
  }

  @Test
  void badMixesSayWhatIsWrong() {
    assertThatThrownBy(() -> Mix.parse("orders=60,refunds=40")).hasMessageContaining("unknown operation 'refunds'");
    assertThatThrownBy(() -> Mix.parse("orders=-1,reads=2")).hasMessageContaining("within 0..");
    assertThatThrownBy(() -> Mix.parse("orders=0,reads=0")).hasMessageContaining("every weight is 0");
    assertThatThrownBy(() -> Mix.parse("orders=1,order=2")).hasMessageContaining("given twice");
    assertThatThrownBy(() -> Mix.parse("orders=lots")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> Mix.parse("orders")).hasMessageContaining("not name=weight");
    assertThatThrownBy(() -> Mix.parse(" ")).hasMessageContaining("empty");
  }
}
