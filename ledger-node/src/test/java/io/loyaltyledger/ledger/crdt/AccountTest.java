package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AccountTest {

  private static final WriterKey A = WriterKey.of("order-1", "3f2a9c1e");
  private static final WriterKey B = WriterKey.of("order-2", "0badc0de");
  private static final WriterKey C = WriterKey.of("ledger-1", "12345678");

  @Test
  void sumsRowsIntoEarnedSpentAndBalance() {
    Account account =
        Account.EMPTY.withRow(A, Row.of(100, 30, 2)).withRow(B, Row.of(50, 80, 3));
    assertThat(account.earned()).isEqualTo(150);
    assertThat(account.spent()).isEqualTo(110);
    assertThat(account.balance()).isEqualTo(40);
    assertThat(account.rows()).containsOnlyKeys(A, B);
    assertThat(account.row(C)).isSameAs(Row.ZERO);
  }

  @Test
  void balanceMayBeNegative() {
    Account account = Account.EMPTY.withRow(A, Row.of(10, 25, 2));
    assertThat(account.balance()).isEqualTo(-15);
  }

  @Test
  void rightsFollowTransfers() {
    // A earned 100 and sent 30 to B and 5 to C; B earned 10, spent 25, sent 4 to A.
    Account account =
        Account.EMPTY
            .withRow(A, Row.of(100, 0, 3, new TreeMap<>(Map.of(B, 30L, C, 5L))))
            .withRow(B, Row.of(10, 25, 4, new TreeMap<>(Map.of(A, 4L))));
    assertThat(account.rights(A)).isEqualTo(100 + 4 - 35);
    assertThat(account.rights(B)).isEqualTo(10 + 30 - 4 - 25);
    assertThat(account.rights(C)).isEqualTo(5);
    long total = account.rights(A) + account.rights(B) + account.rights(C);
    assertThat(total).isEqualTo(account.balance());
  }

  @Test
  void zeroRowsAreNeverStored() {
    Account account = Account.EMPTY.withRow(A, Row.ZERO);
    assertThat(account).isSameAs(Account.EMPTY);
    assertThat(account.isEmpty()).isTrue();
    assertThat(Account.EMPTY.withRow(A, Row.of(0, 0, 0, new TreeMap<>(Map.of(B, 0L)))))
        .isSameAs(Account.EMPTY);
  }

  @Test
  void withRowMergesAndReturnsItselfWhenNothingChanges() {
    Account account = Account.EMPTY.withRow(A, Row.of(10, 1, 2));
    assertThat(account.withRow(A, Row.of(5, 1, 1))).isSameAs(account);
    assertThat(account.withRow(A, Row.of(5, 3, 1)).row(A)).isEqualTo(Row.of(10, 3, 2));
  }

  @Test
  void overflowingSumsThrow() {
    long max = Row.MAX_TOTAL;
    Account account = Account.EMPTY.withRow(A, Row.of(max, max, 1)).withRow(B, Row.of(max, max, 1));
    assertThatThrownBy(account::earned).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(account::spent).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(account::balance).isInstanceOf(ArithmeticException.class);

    Account received =
        Account.EMPTY
            .withRow(A, Row.of(max, 0, 1))
            .withRow(B, Row.of(0, 0, 1, new TreeMap<>(Map.of(A, max))));
    assertThatThrownBy(() -> received.rights(A)).isInstanceOf(ArithmeticException.class);

    Account sentALot =
        Account.EMPTY.withRow(A, Row.of(0, 0, 1, new TreeMap<>(Map.of(B, max, C, max))));
    assertThatThrownBy(() -> sentALot.rights(A)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void mergeIsPerWriterAndCoversBoth() {
    Account x = Account.EMPTY.withRow(A, Row.of(10, 0, 1)).withRow(B, Row.of(1, 1, 1));
    Account y = Account.EMPTY.withRow(A, Row.of(5, 2, 2)).withRow(C, Row.of(3, 0, 1));
    Account merged = x.merge(y);
    assertThat(merged.rows())
        .containsExactly(
            Map.entry(C, Row.of(3, 0, 1)),
            Map.entry(A, Row.of(10, 2, 2)),
            Map.entry(B, Row.of(1, 1, 1)));
    assertThat(merged.covers(x)).isTrue();
    assertThat(merged.covers(y)).isTrue();
    assertThat(merged.merge(x)).isSameAs(merged);
    assertThat(x.merge(merged)).isSameAs(merged);
  }
}
