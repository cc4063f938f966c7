package io.loyaltyledger.ledger.escrow;

import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.Rights;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.StoredRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * This writer's rights for an account, read inside a transaction: its own row from the database
 * (locked, so no change of it slips in before the caller's debit or transfer commits) and the
 * other writers' rows from the local replica (a lower bound that only grows).
 */
public final class OwnRights {

  /** What the writer sees: the account, its own rights and the balance. */
  public record Seen(Account account, long rights, long balance) {}

  private final LedgerRows rows;
  private final ReplicaAccounts replica;
  private final WriterKey me;

  public OwnRights(LedgerRows rows, ReplicaAccounts replica, WriterKey me) {
    this.rows = rows;
    this.replica = replica;
    this.me = me;
  }

  public WriterKey writer() {
    return me;
  }

  /** Locks this writer's row of the account (if any) and computes its rights. */
  public Seen check(Connection tx, String accountId) throws SQLException {
    Optional<StoredRow> own = rows.lockRow(tx, accountId);
    return seen(replica.read(accountId), own);
  }

  /** Without a lock, outside any transaction: for views and background decisions. */
  public Seen peek(String accountId) {
    Account account = replica.read(accountId);
    // Read after the replica: the database row is at least as new as the replica's copy of it.
    return seen(account, rows.row(accountId));
  }

  /** The replica's account with this writer's own row read from its database. */
  public Seen withOwnRow(Account replicaAccount, String accountId) {
    return seen(replicaAccount, rows.row(accountId));
  }

  private Seen seen(Account replicaAccount, Optional<StoredRow> own) {
    Account account = Rights.seenBy(replicaAccount, me, own.map(OwnRights::row).orElse(Row.ZERO));
    return new Seen(account, account.rights(me), account.balance());
  }

  static Row row(StoredRow r) {
    return Row.of(r.credited(), r.debited(), r.version(), r.sent());
  }
}
