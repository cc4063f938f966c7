package io.loyaltyledger.ledger.escrow;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes the rights checks of one account on this node: redemptions and the transfers this
 * writer gives. Striped (a fixed array of fair locks): two accounts may share a stripe, which only
 * costs waiting. The row lock inside the transaction alone would not do: a writer may hold
 * received rights for an account before it has a row to lock.
 */
public final class AccountLocks {

  private final ReentrantLock[] stripes;

  public AccountLocks(int stripes) {
    this.stripes = new ReentrantLock[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new ReentrantLock(true);
    }
  }

  /** Runs {@code work} holding the account's lock; false when the lock was not free in time. */
  public <T> Held<T> tryWith(String accountId, Duration wait, java.util.function.Supplier<T> work) {
    ReentrantLock lock = stripes[Math.floorMod(accountId.hashCode(), stripes.length)];
    try {
      if (!lock.tryLock(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
        return new Held<>(false, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Held<>(false, null);
    }
    try {
      return new Held<>(true, work.get());
    } finally {
      lock.unlock();
    }
  }

  /** The outcome of {@link #tryWith}: {@code value} is only meaningful when {@code ran}. */
  public record Held<T>(boolean ran, T value) {}
}
