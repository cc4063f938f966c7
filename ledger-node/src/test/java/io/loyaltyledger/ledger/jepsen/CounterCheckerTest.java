package io.loyaltyledger.ledger.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterCheckerTest {

  @Test
  void withoutUnknownOutcomesTheBalanceMustEqualTheAcknowledgedSum() {
    History history = new History();
    history.invoke("adjust", "a", 10, "n1").ok();
    history.invoke("adjust", "a", -3, "n2").ok();
    history.invoke("adjust", "a", 100, "n1").failed("422");

    assertThat(CounterChecker.check(history, Map.of("n1", Map.of("a", 7L))).valid()).isTrue();
    assertThat(CounterChecker.check(history, Map.of("n1", Map.of("a", 17L))).errors())
        .singleElement().asString().contains("exactly 7");
    assertThat(CounterChecker.check(history, Map.of("n1", Map.of("a", 107L))).valid()).isFalse();
  }

  @Test
  void anUnknownOutcomeMayOrMayNotHaveApplied() {
    History history = new History();
    history.invoke("adjust", "a", 10, "n1").ok();
    history.invoke("adjust", "a", 5, "n1").unknown("timeout");
    history.invoke("adjust", "a", -2, "n2").unknown("connection reset");

    for (long allowed : new long[] {10, 15, 8, 13}) {
      assertThat(CounterChecker.check(history, Map.of("n1", Map.of("a", allowed))).valid())
          .as("%d", allowed).isTrue();
    }
    for (long wrong : new long[] {9, 11, 20, 3}) {
      assertThat(CounterChecker.check(history, Map.of("n1", Map.of("a", wrong))).valid())
          .as("%d", wrong).isFalse();
    }
  }

  @Test
  void anOperationCountedTwiceOrLostIsCaught() {
    History history = new History();
    for (int i = 0; i < 20; i++) {
      history.invoke("adjust", "b", 3, "n" + (i % 3)).ok();
    }
    assertThat(CounterChecker.check(history, Map.of("n1", Map.of("b", 60L))).valid()).isTrue();
    assertThat(CounterChecker.check(history, Map.of("n1", Map.of("b", 63L))).valid()).isFalse();
    assertThat(CounterChecker.check(history, Map.of("n1", Map.of("b", 57L))).valid()).isFalse();
  }

  @Test
  void nodesMustAgreeAndReportEveryAccount() {
    History history = new History();
    history.invoke("adjust", "a", 1, "n1").unknown("timeout");

    var disagree = CounterChecker.check(history, Map.of("n1", Map.of("a", 1L), "n2", Map.of("a", 0L)));
    assertThat(disagree.valid()).isFalse();
    assertThat(disagree.errors()).anySatisfy(e -> assertThat(e).contains("disagrees"));
    assertThat(CounterChecker.check(history, Map.of("n1", Map.of())).errors())
        .singleElement().asString().contains("no final read");
  }

  @Test
  void manyUnknownOutcomesWidenToBounds() {
    History history = new History();
    for (int i = 1; i <= 40; i++) {
      history.invoke("adjust", "c", i, "n1").unknown("timeout");
    }
    CounterChecker.Allowed allowed = CounterChecker.allowed(history).get("c");
    assertThat(allowed.min()).isZero();
    assertThat(allowed.max()).isEqualTo(40 * 41 / 2);
    assertThat(allowed.admits(400)).isTrue();
    assertThat(allowed.admits(821)).isFalse();
  }
}
