package io.loyaltyledger.order.overdraft;

import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.replica.AccountReader;
import io.loyaltyledger.ledger.replica.ReadLevel;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.StoredRow;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An account's balance as this node sees it: the replica's rows, with this writer's own row taken
 * from its database — the truth for that row, which the replica may not have caught up with.
 * Blocking: for the overdraft policy's background thread.
 */
public final class SeenBalance {

  /** The balance, and the version of this writer's row it includes (0: no row). */
  public record Seen(long balance, long ownVersion) {}

  private final AccountReader replica;
  private final LedgerRows rows;
  private final WriterKey writerKey;

  public SeenBalance(AccountReader replica, LedgerRows rows, WriterKey writerKey) {
    this.replica = replica;
    this.rows = rows;
    this.writerKey = writerKey;
  }

  /** @throws IllegalStateException when the replica cannot be read at {@code level} in time */
  public Seen read(String accountId, ReadLevel level) {
    Account account = readReplica(accountId, level);
    // Read after the replica: the database row is at least as new as the replica's copy of it.
    Optional<StoredRow> own = rows.row(accountId);
    if (own.isPresent()) {
      StoredRow row = own.get();
      // A merge (pointwise maximum) is a replacement here: the database row covers the replica's.
      account =
          account.withRow(
              writerKey, Row.of(row.credited(), row.debited(), row.version(), row.sent()));
    }
    return new Seen(account.balance(), own.map(StoredRow::version).orElse(0L));
  }

  private Account readReplica(String accountId, ReadLevel level) {
    Duration bound = level.timeout().plusSeconds(2);
    try {
      return replica
          .read(accountId, level, Optional.empty(), Duration.ZERO)
          .toCompletableFuture()
          .get(bound.toMillis(), TimeUnit.MILLISECONDS)
          .orElse(Account.EMPTY);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "replica of " + accountId + " not readable at " + level.name() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + accountId, e);
    }
  }
}
