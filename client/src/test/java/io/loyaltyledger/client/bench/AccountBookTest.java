package io.loyaltyledger.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AccountBookTest {

  private final SplittableRandom random = new SplittableRandom(7);

  @Test
  void accountsArePrefixed() {
    AccountBook book = new AccountBook("bench-x-", 3, 10);
    assertThat(book.accountId(2)).isEqualTo("bench-x-2");
    assertThat(book.size()).isEqualTo(3);
  }

  @Test
  void aRedemptionReservesPointsOnlyWhereTheyAreKnown() {
    AccountBook book = new AccountBook("a", 1, 10);
    assertThat(book.reserve(10, random)).isEqualTo(-1);
    book.add(0, 25);
    assertThat(book.reserve(10, random)).isZero();
    assertThat(book.reserve(10, random)).isZero();
    assertThat(book.points(0)).isEqualTo(5);
    assertThat(book.reserve(10, random)).isEqualTo(-1); // the run never plans to overspend
  }

  @Test
  void aCancellationTakesAnOrderWhosePointsAreStillThereAndReservesThem() {
    AccountBook book = new AccountBook("a", 1, 10);
    assertThat(book.takeCancellable(random)).isNull();
    book.add(0, 30);
    book.placed(new AccountBook.PlacedOrder("o-1", 0, 30, "n1"), random);
    assertThat(book.reserve(25, random)).isZero(); // a redemption spent most of them
    assertThat(book.takeCancellable(random)).isNull(); // cancelling now would overdraw
    assertThat(book.openOrders()).isEqualTo(1);
    book.add(0, 25); // the redemption was refused after all
    AccountBook.PlacedOrder taken = book.takeCancellable(random);
    assertThat(taken.orderId()).isEqualTo("o-1");
    assertThat(book.points(0)).isZero();
    assertThat(book.openOrders()).isZero();
    assertThat(book.takeCancellable(random)).isNull(); // each order is cancelled once
  }

  @Test
  void openOrdersAreBounded() {
    AccountBook book = new AccountBook("a", 1, 2);
    for (int i = 0; i < 5; i++) {
      book.placed(new AccountBook.PlacedOrder("o-" + i, 0, 1, "n"), random);
    }
    assertThat(book.openOrders()).isEqualTo(2);
  }
}
