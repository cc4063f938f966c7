package io.loyaltyledger.ledger.escrow;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A forced debit (a clawback, an administrative debit) can drive this writer's rights negative.
 * Then it asks other writers at once, off the request path, for rights covering the deficit, and
 * tries again a few times with backoff while the deficit lasts. What stays uncovered is an
 * overdraft of the account, which the overdraft policy handles.
 */
public final class DeficitCover {

  private static final Logger log = LoggerFactory.getLogger(DeficitCover.class);

  private final OwnRights rights;
  private final TransferRequester requester;
  private final TransferSettings settings;
  private final ScheduledExecutorService background;

  public DeficitCover(OwnRights rights, TransferRequester requester, TransferSettings settings,
      ScheduledExecutorService background) {
    this.rights = rights;
    this.requester = requester;
    this.settings = settings;
    this.background = background;
  }

  /** Called after a forced debit of the account committed. */
  public void afterForcedDebit(String accountId) {
    schedule(accountId, 1, Duration.ZERO);
  }

  private void schedule(String accountId, int attempt, Duration delay) {
    try {
      background.schedule(() -> attempt(accountId, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the node is stopping; the next forced debit or the overdraft policy looks again
    }
  }

  private void attempt(String accountId, int attempt) {
    try {
      long deficit = -rights.peek(accountId).rights();
      if (deficit <= 0) {
        return;
      }
      long deadline = System.nanoTime() + settings.deadline().toNanos();
      TransferRequester.Outcome outcome = requester.request(accountId, deficit, deadline);
      log.info("Writer {} had a deficit of {} points for {}: received {} from other writers",
          rights.writer(), deficit, accountId, outcome.received());
      if (outcome.received() < deficit && attempt < settings.coverAttempts()) {
        schedule(accountId, attempt + 1, settings.coverBackoff().multipliedBy(attempt));
      }
    } catch (RuntimeException e) {
      log.warn("Covering the deficit of {} failed (attempt {}): {}", accountId, attempt, e.toString());
      if (attempt < settings.coverAttempts()) {
        schedule(accountId, attempt + 1, settings.coverBackoff().multipliedBy(attempt));
      }
    }
  }
}
