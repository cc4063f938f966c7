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
 *
 * <p>Between two attempts no transaction holds the request's idempotency key, so a retry of the
 * request could run on its own there and answer "nothing written" while the first still commits.
 * A redemption therefore also holds its key on this node from its first attempt to its answer: a
 * retry waits for that answer and then replays it.
 */
public final class Spending {

  /** How much longer than the deadline a retry waits for the first request with its key. */
  private static final Duration KEY_WAIT_BEYOND_DEADLINE = Duration.ofSeconds(5);
  private static final int KEY_STRIPES = 1024;

  private final StripedLocks keys = new StripedLocks(KEY_STRIPES);
  private final StripedLocks locks;
  private final OwnRights rights;
  private final TransferRequester requester;
  private final TransferSettings settings;

  public Spending(StripedLocks locks, OwnRights rights, TransferRequester requester,
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
   * Whether a request waits for an earlier one with {@code idempotencyKey} (or with a key sharing
   * its lock stripe) to answer.
   */
  public boolean isRetryWaiting(String idempotencyKey) {
    return keys.isWaitedFor(idempotencyKey);
  }

  /**
   * Runs {@code command} (which calls {@link #require}) under the account's lock; when it falls
   * short, gathers rights from other writers and runs it again while they give and time is left.
   * Another request with the same {@code idempotencyKey} waits until this one has answered.
   *
   * @throws InsufficientPoints 409 when the points are not there, 503 when a donor was silent
   * @throws RequestInProgress 503 when a request with the key ran on past the wait
   */
  public <T> T spend(String accountId, String idempotencyKey, Supplier<T> command) {
    StripedLocks.Held<T> held = keys.tryWith(idempotencyKey,
        settings.deadline().plus(KEY_WAIT_BEYOND_DEADLINE), () -> spend(accountId, command));
    if (!held.ran()) {
      throw new RequestInProgress();
    }
    return held.value();
  }

  private <T> T spend(String accountId, Supplier<T> command) {
    long deadline = System.nanoTime() + settings.deadline().toNanos();
    boolean silent = false;
    while (true) {
      StripedLocks.Held<T> held;
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
