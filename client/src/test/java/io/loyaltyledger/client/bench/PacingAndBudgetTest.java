package io.loyaltyledger.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacingAndBudgetTest {

  @Test
  void anOpenLoopSchedulesEachOperationFromTheStartWithoutDrift() {
    Pacing pacing = Pacing.rate(200);
    assertThat(pacing.openLoop()).isTrue();
    assertThat(pacing.intendedOffsetNanos(0)).isZero();
    assertThat(pacing.intendedOffsetNanos(1)).isEqualTo(5_000_000);
    assertThat(pacing.intendedOffsetNanos(1_000)).isEqualTo(5_000_000_000L);
    // a rate whose interval is not a whole number of nanoseconds still lands on the second
    Pacing thirds = Pacing.rate(3);
    assertThat(thirds.intendedOffsetNanos(1)).isEqualTo(333_333_333);
    assertThat(thirds.intendedOffsetNanos(3)).isEqualTo(1_000_000_000);
    assertThat(thirds.intendedOffsetNanos(3_000_000)).isEqualTo(1_000_000_000_000_000L);
  }

  @Test
  void flatOutIsAClosedLoopWithoutSchedule() {
    assertThat(Pacing.rate(0).openLoop()).isFalse();
    assertThat(Pacing.flatOut().describe()).isEqualTo("closed loop (flat out)");
    assertThat(Pacing.rate(12.5).describe()).isEqualTo("open loop at 12.5 ops/s");
    assertThatThrownBy(() -> Pacing.flatOut().intendedOffsetNanos(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Pacing.rate(-1)).hasMessageContaining("--rate");
    assertThatThrownBy(() -> Pacing.rate(Double.NaN)).hasMessageContaining("--rate");
  }

  @Test
  void aTimedOpenLoopAdmitsExactlyTheOperationsDueWithinIt() {
    Pacing pacing = Pacing.rate(10);
    Budget budget = Budget.of(Duration.ofSeconds(1));
    long admitted = 0;
    for (long ticket = 0; budget.admits(ticket, pacing.intendedOffsetNanos(ticket)); ticket++) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(10);
    assertThat(budget.fraction(0, 250_000_000)).isEqualTo(0.25);
    assertThat(budget.fraction(0, 5_000_000_000L)).isEqualTo(1.0);
    assertThat(budget.describe()).isEqualTo("1 s");
  }

  @Test
  void aCountedBudgetAdmitsThatManyWhateverTheTime() {
    Budget budget = Budget.of(3);
    assertThat(budget.admits(2, Long.MAX_VALUE)).isTrue();
    assertThat(budget.admits(3, 0)).isFalse();
    assertThat(budget.fraction(1, 0)).isEqualTo(1.0 / 3);
    assertThat(budget.describe()).isEqualTo("3 operations");
    assertThatThrownBy(() -> Budget.of(0)).hasMessageContaining("--operations");
    assertThatThrownBy(() -> Budget.of(Duration.ZERO)).hasMessageContaining("--duration");
  }

  @Test
  void durationsAsPeopleTypeThem() {
    assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationText.parse("2min")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationText.parse("20")).isEqualTo(Duration.ofSeconds(20));
    assertThatThrownBy(() -> DurationText.parse("soon")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> DurationText.parse("-1s")).hasMessageContaining("not a duration");
    assertThat(DurationText.format(Duration.ofMillis(250))).isEqualTo("250 ms");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    assertThat(DurationText.format(Duration.ofSeconds(20))).isEqualTo("20 s");
    assertThat(DurationText.format(Duration.ofSeconds(150))).isEqualTo("2 min 30 s");
  }
}
