package io.loyaltyledger.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagSamplerTest {

  private static List<Long> sampled(LagSampler sampler, long upTo) {
    List<Long> picked = new ArrayList<>();
    for (long n = 1; n <= upTo; n++) {
      if (sampler.sample(n)) {
        picked.add(n);
      }
    }
    return picked;
  }

  @Test
  void aFractionAndEveryNthAreTheSame() {
    for (String form : List.of("0.05", "20", "1/20", "0.050")) {
      LagSampler sampler = LagSampler.parse(form);
      List<Long> picked = sampled(sampler, 1_000);
      assertThat(picked).as(form).hasSize(50);
      assertThat(picked.get(0)).as(form).isEqualTo(20);
      assertThat(picked.get(1)).as(form).isEqualTo(40);
      assertThat(sampler.describe()).isEqualTo("1 in 20");
    }
  }

  @Test
  void anyFractionIsSpreadEvenly() {
    LagSampler sampler = LagSampler.parse("0.3");
    assertThat(sampler.describe()).isEqualTo("30% of the writes");
    for (long start = 1; start < 1_000; start += 10) {
      int inWindow = 0;
      for (long n = start; n < start + 10; n++) {
        inWindow += sampler.sample(n) ? 1 : 0;
      }
      assertThat(inWindow).isEqualTo(3);
    }
  }

  @Test
  void allAndNone() {
    assertThat(sampled(LagSampler.parse("1"), 100)).hasSize(100);
    assertThat(LagSampler.parse("1").describe()).isEqualTo("every write");
    assertThat(sampled(LagSampler.parse("0"), 100)).isEmpty();
    assertThat(LagSampler.parse("0").never()).isTrue();
    assertThat(LagSampler.parse("0.0").describe()).isEqualTo("none");
  }

  @Test
  void badSamplesAreRefused() {
    for (String bad : List.of("-0.1", "2.5", "1/0", "often", "", "1/-3")) {
      assertThatThrownBy(() -> LagSampler.parse(bad)).as(bad).hasMessageContaining("--lag-sample");
    }
  }
}
