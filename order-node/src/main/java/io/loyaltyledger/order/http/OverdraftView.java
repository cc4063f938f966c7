package io.loyaltyledger.order.http;

import io.loyaltyledger.order.store.Overdraft;
import java.util.List;

/** The JSON shape of {@code GET /v1/overdrafts}: this writer's deficits, newest first. */
record OverdraftView(String writerKey, List<Entry> overdrafts) {

  record Entry(
      String overdraftId,
      String accountId,
      long deficit,
      String since,
      String state,
      String eventId,
      boolean notified,
      int notifyAttempts,
      String chargeAmount,
      String chargeCurrency,
      String closedAt) {

    static Entry of(Overdraft o) {
      return new Entry(
          o.overdraftId(),
          o.accountId(),
          o.deficit(),
          o.since().toString(),
          o.state().name(),
          o.eventId(),
          o.notified(),
          o.notifyAttempts(),
          o.chargeAmount().map(a -> a.toPlainString()).orElse(null),
          o.chargeCurrency().orElse(null),
          o.closedAt().map(Object::toString).orElse(null));
    }
  }
}
