package io.loyaltyledger.ledger.escrow;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes work by name on this node — the rights checks of one account (redemptions and the
 * transfers this writer gives), the attempts of one redemption's idempotency key. Striped (a
 * fixed array of fair locks): two names may share a stripe, which only costs waiting. The row
 * lock inside the transaction alone would not do for accounts: a writer may hold received rights
 * for an account before it has a row to lock.
 */
public final class StripedLocks {

  private final ReentrantLock[] stripes;

  public StripedLocks(int stripes) {
    this.stripes = new ReentrantLock[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new ReentrantLock(true);
    }
  }

  /** Whether some thread waits for the lock of {@code name} (or of a name sharing its stripe). */
  public boolean isWaitedFor(String name) {
    return stripe(name).hasQueuedThreads();
  }

  private ReentrantLock stripe(String name) {
    return stripes[Math.floorMod(name.hashCode(), stripes.length)];
  }

  /** Runs {@code work} holding the name's lock; false when the lock was not free in time. */
  public <T> Held<T> tryWith(String name, Duration wait, java.util.function.Supplier<T> work) {
    ReentrantLock lock = stripe(name);
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
