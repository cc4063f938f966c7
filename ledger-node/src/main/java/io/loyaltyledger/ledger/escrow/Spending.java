package io.loyaltyledger.ledger.escrow;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Redemptions on this writer: the rights check and the debit commit in the caller's transaction,
 * under the account's lock on this node. When its rights fall short, the lock is let go (nobody
 * waits on a remote node while holding it), other writers are asked for the missing points, and
 * the command runs again with what they gave — all within {@code loyalty.transfers.deadline}.
 */
public final class Spending {

  private final AccountLocks locks;
  private final OwnRights rights;
  private final TransferRequester requester;
  private final TransferSettings settings;

  public Spending(AccountLocks locks, OwnRights rights, TransferRequester requester,
      TransferSettings settings) {
    this.locks = locks;
    this.rights = rights;
    this.requester = requester;
    this.settings = settings;
  }

  /**
   * Inside the command's transaction: locks this writer's row and throws {@link
   * InsufficientPoints} (rolling the transaction back) unless its rights cover {@code points}.
   */
  public OwnRights.Seen require(Connection tx, String accountId, long points) throws SQLException {
    OwnRights.Seen seen = rights.check(tx, accountId);
    if (seen.rights() < points) {
      throw InsufficientPoints.shortOfRights(points, seen);
    }
    return seen;
  }

  /**
   * Runs {@code command} (which calls {@link #require}) under the account's lock; when it falls
   * short, gathers rights from other writers and runs it again while they give and time is left.
   *
   * @throws InsufficientPoints 409 when the points are not there, 503 when a donor was silent
   */
  public <T> T spend(String accountId, Supplier<T> command) {
    long deadline = System.nanoTime() + settings.deadline().toNanos();
    boolean silent = false;
    while (true) {
      AccountLocks.Held<T> held;
      try {
        held = locks.tryWith(accountId, lockWait(deadline), command);
      } catch (InsufficientPoints shortfall) {
        if (System.nanoTime() >= deadline) {
          throw InsufficientPoints.after(shortfall, silent);
        }
        TransferRequester.Outcome outcome =
            requester.request(accountId, shortfall.missing(), deadline);
        silent |= outcome.someSilent();
        if (outcome.received() == 0) {
          throw InsufficientPoints.after(shortfall, silent);
        }
        continue; // what was received is in the replica now: check again
      }
      if (!held.ran()) {
        throw new AccountBusy(accountId);
      }
      return held.value();
    }
  }

  /** Waiting for the lock also ends at the deadline, with a little room to run the command. */
  private static Duration lockWait(long deadline) {
    return Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)).plusMillis(100);
  }
}
