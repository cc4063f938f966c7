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

  private static CounterChecker.AccountRead read(long balance, long available,
      Map<String, Long> rights) {
    return new CounterChecker.AccountRead(balance, available, rights);
  }

  @Test
  void redemptionsThatStayWithinRightsPass() {
    History history = new History();
    history.invoke("order", "r", 50, "o1").ok();
    history.invoke(CounterChecker.REDEEM, "r", -30, "o1").ok();
    history.invoke(CounterChecker.REDEEM, "r", -30, "o2").failed("409 insufficient_points");
    history.invoke("cancel", "r", 30, "o1").ok(); // a refund: a credit

    var reads = Map.of(
        "n1", Map.of("r", read(50, 50, Map.of("o1@a", 50L))),
        "n2", Map.of("r", read(50, 0, Map.of("o1@a", 50L))));
    assertThat(CounterChecker.checkNoOverdraw(history, reads).errors()).isEmpty();
    assertThat(CounterChecker.check(history, Map.of("n1", Map.of("r", 50L))).valid()).isTrue();
  }

  @Test
  void aRedemptionThatOverdrewIsCaught() {
    History history = new History();
    history.invoke("order", "r", 50, "o1").ok();
    history.invoke(CounterChecker.REDEEM, "r", -40, "o1").ok();
    history.invoke(CounterChecker.REDEEM, "r", -40, "o2").ok();
    // The counter alone is satisfied: -30 is the sum of what was acknowledged.
    assertThat(CounterChecker.check(history, Map.of("n1", Map.of("r", -30L))).valid()).isTrue();

    var overdrawn = CounterChecker.checkNoOverdraw(history,
        Map.of("n1", Map.of("r", read(-30, 10, Map.of("o1@a", 10L, "o2@b", -40L)))));
    assertThat(overdrawn.valid()).isFalse();
    assertThat(overdrawn.errors()).anySatisfy(e -> assertThat(e).contains("overdrawn"));
    assertThat(overdrawn.errors()).anySatisfy(e -> assertThat(e).contains("o2@b with rights -40"));
  }

  @Test
  void aWriterOverdrawingItsRightsIsCaughtEvenWhenTheBalanceIsPositive() {
    History history = new History();
    history.invoke("order", "r", 50, "o1").ok();
    history.invoke("order", "r", 50, "o2").ok();
    history.invoke(CounterChecker.REDEEM, "r", -60, "o2").ok();

    var badRights = CounterChecker.checkNoOverdraw(history,
        Map.of("n1", Map.of("r", read(40, 50, Map.of("o1@a", 50L, "o2@b", -10L)))));
    assertThat(badRights.errors()).singleElement().asString().contains("o2@b with rights -10");
    var badAvailable = CounterChecker.checkNoOverdraw(history,
        Map.of("o2", Map.of("r", read(40, -10, Map.of()))));
    assertThat(badAvailable.errors()).singleElement().asString().contains("-10 available");
    assertThat(CounterChecker.checkNoOverdraw(history, Map.of("n1", Map.of())).errors())
        .singleElement().asString().contains("no final read");
  }

  @Test
  void accountsWithAForcedDebitMayEndNegative() {
    History history = new History();
    history.invoke("order", "f", 50, "o1").ok();
    history.invoke(CounterChecker.REDEEM, "f", -50, "o1").ok();
    history.invoke("cancel", "f", -50, "o1").ok(); // a clawback: never refused
    history.invoke("adjust", "g", 10, "l1").ok();
    history.invoke("adjust", "g", -20, "l1").unknown("timeout"); // may have applied
    history.invoke("adjust", "h", 10, "l1").ok();
    history.invoke("adjust", "h", -20, "l1").failed("400"); // did not apply: still checked

    assertThat(CounterChecker.withoutForcedDebits(history)).containsExactly("h");
    var reads = Map.of("n1", Map.of(
        "f", read(-50, -50, Map.of("o1@a", -50L)),
        "g", read(-10, -10, Map.of("l1@c", -10L)),
        "h", read(10, 10, Map.of("l1@c", 10L))));
    assertThat(CounterChecker.checkNoOverdraw(history, reads).errors()).isEmpty();
  }
}
