package io.loyaltyledger.ledger.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Administrative adjustments: an operator credits (points > 0) or debits (points < 0) an
 * account. A debit is forced: it is never refused and may drive the balance negative.
 */
public final class Adjustments {

  static final int CREATED = 201;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WriterDatabase db;
  private final LedgerRows rows;
  private final IdempotentCommands commands;
  private final Consumer<String> afterDebit;

  public Adjustments(WriterDatabase db, LedgerRows rows, IdempotentCommands commands) {
    this(db, rows, commands, accountId -> {});
  }

  /**
   * @param afterDebit called with the account after a debit committed: it may have driven this
   *     writer's rights negative, and the writer then asks others to cover the deficit
   */
  public Adjustments(WriterDatabase db, LedgerRows rows, IdempotentCommands commands,
      Consumer<String> afterDebit) {
    this.db = Objects.requireNonNull(db);
    this.rows = Objects.requireNonNull(rows);
    this.commands = Objects.requireNonNull(commands);
    this.afterDebit = Objects.requireNonNull(afterDebit);
  }

  /**
   * Applies the adjustment once per idempotency key. The stored response (status 201) is
   * {@code {"adjustmentId","accountId","points","reason","token":"<writerKey>:<version>"}}; the
   * token lets a reader wait until the change is visible.
   *
   * @throws LedgerLimitExceededException when a row total would pass 2^62 (nothing stored)
   */
  public IdempotentResult adjust(
      String idempotencyKey, String accountId, long points, String reason) {
    LedgerRows.checkAccountId(accountId);
    if (points == 0) {
      throw new IllegalArgumentException("points must not be 0");
    }
    if (reason == null || reason.length() > 500) {
      throw new IllegalArgumentException("reason must be given, at most 500 characters");
    }
    if (points < -LedgerRows.LIMIT) {
      throw new LedgerLimitExceededException("cannot debit more than 2^62 points at once");
    }
    String fingerprint = CommandFingerprint.of("adjustment/v1", accountId, points, reason);
    IdempotentResult result = commands.execute(idempotencyKey, fingerprint,
        tx -> apply(tx, idempotencyKey, accountId, points, reason));
    if (points < 0 && result instanceof IdempotentResult.Executed) {
      afterDebit.accept(accountId);
    }
    return result;
  }

  private StoredResponse apply(
      Connection tx, String idempotencyKey, String accountId, long points, String reason)
      throws SQLException {
    long version = points > 0
        ? rows.add(tx, accountId, points, 0)
        : rows.add(tx, accountId, 0, -points);
    String adjustmentId = UUID.randomUUID().toString();
    try (PreparedStatement ps = tx.prepareStatement(
        "INSERT INTO adjustment (adjustment_id, account_id, points, reason, idem_key, row_version)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, adjustmentId);
      ps.setString(2, accountId);
      ps.setLong(3, points);
      ps.setString(4, reason);
      ps.setString(5, idempotencyKey);
      ps.setLong(6, version);
      ps.executeUpdate();
    }
    ObjectNode body = JSON.createObjectNode()
        .put("adjustmentId", adjustmentId)
        .put("accountId", accountId)
        .put("points", points)
        .put("reason", reason)
        .put("token", db.writerKey() + ":" + version);
    try {
      return new StoredResponse(CREATED, JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the adjustment response", e);
    }
  }
}
