package io.loyaltyledger.order.overdraft;

import io.loyaltyledger.order.store.Overdraft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overdraft policy's structured log: one line per event, {@code event=overdraft.<what>}
 * followed by key=value fields, for log shippers and alerts. Account ids contain no spaces.
 */
final class OverdraftEvents {

  private static final Logger log = LoggerFactory.getLogger("loyalty.overdraft");

  private OverdraftEvents() {}

  static void opened(Overdraft o, String writer) {
    log.warn(
        "event=overdraft.opened overdraft_id={} event_id={} account={} deficit={} since={}"
            + " writer={}",
        o.overdraftId(), o.eventId(), o.accountId(), o.deficit(), o.since(), writer);
  }

  static void raised(Overdraft o, String writer) {
    log.warn(
        "event=overdraft.raised overdraft_id={} event_id={} account={} deficit={} since={}"
            + " writer={}",
        o.overdraftId(), o.eventId(), o.accountId(), o.deficit(), o.since(), writer);
  }

  static void settled(Overdraft o, String writer) {
    log.info(
        "event=overdraft.settled overdraft_id={} account={} deficit={} since={} writer={}",
        o.overdraftId(), o.accountId(), o.deficit(), o.since(), writer);
  }

  static void charged(Overdraft o, long points, String amount, String currency, String token) {
    log.warn(
        "event=overdraft.charged overdraft_id={} account={} deficit={} charge={} currency={}"
            + " settlement_token={}",
        o.overdraftId(), o.accountId(), points, amount, currency, token);
  }

  static void delivered(Overdraft o, int attempts) {
    log.info(
        "event=overdraft.notified overdraft_id={} event_id={} account={} attempts={}",
        o.overdraftId(), o.eventId(), o.accountId(), attempts);
  }

  static void deliveryFailed(Overdraft o, int attempts, String reason, boolean givingUp) {
    (givingUp ? log.atError() : log.atWarn())
        .log(
            "event=overdraft.{} overdraft_id={} event_id={} account={} attempts={} reason=\"{}\"",
            givingUp ? "notification_abandoned" : "notification_failed",
            o.overdraftId(), o.eventId(), o.accountId(), attempts, reason);
  }
}
