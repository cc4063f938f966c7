package io.loyaltyledger.order.overdraft;

import io.loyaltyledger.ledger.http.Json;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.order.store.Overdraft;
import io.loyaltyledger.order.store.OverdraftRecords;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the world that a deficit was opened: a structured log line at once and, when a webhook is
 * configured, a POST of an {@link OverdraftNotice} — retried with exponential backoff until a 2xx
 * answer or the maximum of attempts. Delivery is at least once: the record's {@code notified} flag
 * is set only after a 2xx, and the sweep resumes undelivered notices after a restart; the stable
 * event id lets the receiver drop duplicates.
 */
public final class OverdraftNotifier {

  private static final Logger log = LoggerFactory.getLogger(OverdraftNotifier.class);
  static final String OPENED = "overdraft.opened";

  private final WriterDatabase db;
  private final OverdraftSettings settings;
  private final String writerKey;
  private final Optional<OverdraftWebhook> webhook;
  private final ScheduledExecutorService thread;
  /** Notices with a delivery attempt scheduled or running: one chain of attempts per notice. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  public OverdraftNotifier(
      WriterDatabase db,
      OverdraftSettings settings,
      String writerKey,
      ScheduledExecutorService thread) {
    this.db = db;
    this.settings = settings;
    this.writerKey = writerKey;
    this.webhook =
        settings.webhookUrl().map(url -> new OverdraftWebhook(url, settings.webhookTimeout()));
    this.thread = thread;
  }

  /** Without a webhook, the log line is the whole notification: records start notified. */
  public boolean logOnly() {
    return webhook.isEmpty();
  }

  /** A deficit was just registered (its record committed). */
  public void opened(Overdraft overdraft) {
    OverdraftEvents.opened(overdraft, writerKey);
    if (!overdraft.notified()) {
      deliverSoon(overdraft.overdraftId(), 0);
    }
  }

  /** Resumes notices never delivered (a restart, a crash, a receiver that was down). */
  public int resumeUndelivered() {
    if (webhook.isEmpty()) {
      return 0;
    }
    int resumed = 0;
    for (Overdraft o :
        db.inTransaction(tx -> OverdraftRecords.undelivered(tx, settings.webhookMaxAttempts()))) {
      if (deliverSoon(o.overdraftId(), 0)) {
        resumed++;
      }
    }
    return resumed;
  }

  private boolean deliverSoon(String overdraftId, long delayMillis) {
    if (webhook.isEmpty() || !inFlight.add(overdraftId)) {
      return false;
    }
    schedule(overdraftId, delayMillis);
    return true;
  }

  private void schedule(String overdraftId, long delayMillis) {
    try {
      thread.schedule(() -> attempt(overdraftId), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      inFlight.remove(overdraftId); // shutting down: the sweep resumes it after the restart
    }
  }

  private void attempt(String overdraftId) {
    try {
      Optional<Overdraft> current = db.inTransaction(tx -> OverdraftRecords.find(tx, overdraftId));
      if (current.isEmpty() || current.get().notified()) {
        inFlight.remove(overdraftId);
        return;
      }
      Overdraft overdraft = current.get();
      int attempts = db.inTransaction(tx -> OverdraftRecords.countAttempt(tx, overdraftId));
      OverdraftWebhook.Outcome outcome =
          webhook.orElseThrow().post(overdraft.eventId(), Json.write(notice(overdraft)));
      if (outcome.delivered()) {
        db.inTransaction(
            tx -> {
              OverdraftRecords.markNotified(tx, overdraftId);
              return null;
            });
        inFlight.remove(overdraftId);
        OverdraftEvents.delivered(overdraft, attempts);
        return;
      }
      boolean givingUp = attempts >= settings.webhookMaxAttempts();
      OverdraftEvents.deliveryFailed(overdraft, attempts, outcome.failure(), givingUp);
      if (givingUp) {
        inFlight.remove(overdraftId);
      } else {
        schedule(overdraftId, settings.backoffAfter(attempts).toMillis());
      }
    } catch (RuntimeException e) {
      // The database is closing or failed: leave the notice to the sweep.
      log.warn("Notification of overdraft {} interrupted: {}", overdraftId, e.toString());
      inFlight.remove(overdraftId);
    }
  }

  private OverdraftNotice notice(Overdraft o) {
    return new OverdraftNotice(
        o.eventId(),
        OPENED,
        o.overdraftId(),
        o.accountId(),
        o.deficit(),
        o.since().toString(),
        o.since().plus(settings.gracePeriod()).toString(),
        settings.chargePerPoint().toPlainString(),
        settings.chargeCurrency(),
        writerKey);
  }
}
