package io.loyaltyledger.order.overdraft;

import io.loyaltyledger.ledger.replica.ReadLevel;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.SqlFailures;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.ledger.writer.WriterDatabaseException;
import io.loyaltyledger.order.overdraft.SeenBalance.Seen;
import io.loyaltyledger.order.store.OrderRecords;
import io.loyaltyledger.order.store.Overdraft;
import io.loyaltyledger.order.store.OverdraftRecords;
import io.loyaltyledger.order.store.OverdraftRecords.Registered;
import io.loyaltyledger.order.store.OverdraftRecords.Registration;
import io.loyaltyledger.order.store.OverdraftState;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overdraft policy of one writer. Clawbacks are never refused, so they can overdraw an
 * account; the writer that made them answers for the deficit they caused — never for another
 * writer's.
 *
 * <ul>
 *   <li><b>Register</b> (after each clawback, off the request path): if the balance as this node
 *       sees it is below zero, the writer's deficit is {@code min(−balance, its clawbacks of the
 *       account not yet charged)}; one OPEN record per account, raised when it grows. Notify.
 *   <li><b>Sweep</b> (every check-interval): re-read each open deficit's balance from a majority.
 *       Back at ≥ 0 → SETTLED. Else the deficit shrinks to what is still missing, and once the
 *       grace period is over → CHARGED: the charge and a settlement credit of the deficit commit
 *       in one transaction, so the customer pays once and the balance is restored.
 * </ul>
 */
public final class OverdraftPolicy {

  private static final Logger log = LoggerFactory.getLogger(OverdraftPolicy.class);
  /** Late checks per sweep: bounds one sweep's work after a long outage. */
  private static final int CHECKS_PER_SWEEP = 500;

  private final WriterDatabase db;
  private final LedgerRows rows;
  private final SeenBalance balances;
  private final OverdraftNotifier notifier;
  private final OverdraftSettings settings;
  private final Clock clock;
  private final Runnable publishSoon;
  private final Executor background;

  public OverdraftPolicy(
      WriterDatabase db,
      LedgerRows rows,
      SeenBalance balances,
      OverdraftNotifier notifier,
      OverdraftSettings settings,
      Clock clock,
      Runnable publishSoon,
      Executor background) {
    this.db = db;
    this.rows = rows;
    this.balances = balances;
    this.notifier = notifier;
    this.settings = settings;
    this.clock = clock;
    this.publishSoon = publishSoon;
    this.background = background;
  }

  /** A clawback of the account committed: check it soon, off the request path. */
  public void afterClawback(String accountId) {
    try {
      background.execute(
          () -> {
            try {
              check(accountId);
            } catch (RuntimeException e) {
              // The cancellation's flag stays set: the next sweep checks the account again.
              log.warn(
                  "Overdraft check of {} failed, the sweep retries: {}", accountId, e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      log.info("Node stopping: the overdraft check of {} is left to the next start", accountId);
    }
  }

  /**
   * Registers this writer's deficit of the account if its balance is below zero, and clears the
   * pending checks of the cancellations the balance included.
   */
  public Optional<Registered> check(String accountId) {
    Seen seen = balances.read(accountId, ReadLevel.local());
    Instant now = clock.instant();
    Optional<Registered> registered =
        db.inTransaction(
            tx -> {
              Optional<Registered> result = Optional.empty();
              if (seen.balance() < 0) {
                long uncovered =
                    OrderRecords.clawedBack(tx, accountId)
                        - OverdraftRecords.chargedPoints(tx, accountId);
                long deficit = Math.min(-seen.balance(), uncovered);
                if (deficit > 0) {
                  result =
                      Optional.of(
                          OverdraftRecords.register(
                              tx, accountId, deficit, now, notifier.logOnly()));
                }
              }
              OrderRecords.clearCheck(tx, accountId, seen.ownVersion());
              return result;
            });
    registered.ifPresent(
        r -> {
          if (r.what() == Registration.OPENED) {
            notifier.opened(r.overdraft());
          } else if (r.what() == Registration.RAISED) {
            OverdraftEvents.raised(r.overdraft(), db.writerKey().value());
          }
        });
    return registered;
  }

  /**
   * Runs the periodic work once: checks cancellations whose check never ran, re-evaluates every
   * open deficit, and resumes undelivered notices. Safe to run concurrently with itself: every
   * transition is conditional on the record still being OPEN with the deficit it saw.
   */
  public SweepReport sweep() {
    int checked = 0;
    List<String> late =
        db.inTransaction(tx -> OrderRecords.accountsAwaitingCheck(tx, CHECKS_PER_SWEEP));
    for (String accountId : late) {
      try {
        check(accountId);
        checked++;
      } catch (RuntimeException e) {
        log.warn("Overdraft check of {} failed, will retry: {}", accountId, e.toString());
      }
    }
    int settled = 0;
    int charged = 0;
    int lowered = 0;
    int skipped = 0;
    for (Overdraft open : db.inTransaction(OverdraftRecords::open)) {
      try {
        switch (reevaluate(open)) {
          case SETTLED -> settled++;
          case CHARGED -> charged++;
          case LOWERED -> lowered++;
          case UNCHANGED -> {}
        }
      } catch (RuntimeException e) {
        skipped++;
        log.warn(
            "Overdraft {} of {} not re-evaluated: {}",
            open.overdraftId(),
            open.accountId(),
            e.toString());
      }
    }
    int resumed = notifier.resumeUndelivered();
    return new SweepReport(checked, settled, charged, lowered, skipped, resumed);
  }

  private enum Outcome {
    SETTLED,
    CHARGED,
    LOWERED,
    UNCHANGED
  }

  private Outcome reevaluate(Overdraft open) {
    // Settling or charging moves money: decide on what a majority of replicas has seen.
    Seen seen = balances.read(open.accountId(), ReadLevel.majority(settings.readTimeout()));
    Instant now = clock.instant();
    if (seen.balance() >= 0) {
      boolean settled =
          db.inTransaction(
              tx -> OverdraftRecords.settle(tx, open.overdraftId(), open.deficit(), now));
      if (settled) {
        OverdraftEvents.settled(open, db.writerKey().value());
        return Outcome.SETTLED;
      }
      return Outcome.UNCHANGED;
    }
    // Still missing: at most the registered deficit (the customer may have earned some back).
    long deficit = Math.min(open.deficit(), -seen.balance());
    if (!now.isBefore(open.since().plus(settings.gracePeriod()))) {
      return charge(open, deficit, now) ? Outcome.CHARGED : Outcome.UNCHANGED;
    }
    if (deficit < open.deficit()
        && db.inTransaction(
            tx -> OverdraftRecords.lower(tx, open.overdraftId(), open.deficit(), deficit))) {
      return Outcome.LOWERED;
    }
    return Outcome.UNCHANGED;
  }

  /** One transaction: the record becomes CHARGED, the charge is stored, the deficit credited. */
  private boolean charge(Overdraft open, long deficit, Instant now) {
    BigDecimal amount = settings.chargeFor(deficit);
    String currency = settings.chargeCurrency();
    long[] settlementVersion = new long[1];
    boolean charged;
    try {
      charged =
          db.inTransaction(
              tx -> {
                if (!OverdraftRecords.markCharged(
                    tx, open.overdraftId(), open.deficit(), deficit, amount, currency, now)) {
                  return false; // settled, charged or raised meanwhile: decide again next sweep
                }
                settlementVersion[0] = rows.add(tx, open.accountId(), deficit, 0);
                OverdraftRecords.insertCharge(
                    tx, open, deficit, amount, currency, settlementVersion[0], now);
                return true;
              });
    } catch (WriterDatabaseException e) {
      if (SqlFailures.isDuplicateKey(e)) {
        return false; // a concurrent sweep charged it first; this one rolled back entirely
      }
      throw e;
    }
    if (charged) {
      publishSoon.run();
      OverdraftEvents.charged(
          open,
          deficit,
          amount.toPlainString(),
          currency,
          db.writerKey().value() + ":" + settlementVersion[0]);
    }
    return charged;
  }

  /** The registered deficits, newest first. */
  public List<Overdraft> list(
      Optional<OverdraftState> state, Optional<String> accountId, int limit) {
    return db.inTransaction(tx -> OverdraftRecords.list(tx, state, accountId, limit));
  }
}
