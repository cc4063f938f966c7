package io.loyaltyledger.ledger.http;

import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of {@code GET /v1/accounts/{id}}. */
public record AccountView(
    String accountId,
    long balance,
    long earned,
    long spent,
    String consistency,
    String node,
    long available,
    Map<String, WriterView> writers) {

  /** One writer's row; {@code rights}: what it may spend without asking, as this replica sees it. */
  public record WriterView(long credited, long debited, long version, long rights) {}

  /**
   * @param available the answering writer's own rights: its database row plus the transfers its
   *     replica shows it received
   */
  public static AccountView of(
      String accountId, Account account, String consistency, String node, long available) {
    Map<String, WriterView> writers = new LinkedHashMap<>();
    for (Map.Entry<WriterKey, Row> row : account.rows().entrySet()) {
      Row r = row.getValue();
      writers.put(
          row.getKey().value(),
          new WriterView(r.credited(), r.debited(), r.version(), account.rights(row.getKey())));
    }
    return new AccountView(
        accountId, account.balance(), account.earned(), account.spent(), consistency, node,
        available, writers);
  }
}
