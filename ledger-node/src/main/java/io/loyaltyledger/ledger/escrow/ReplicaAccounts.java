package io.loyaltyledger.ledger.escrow;

import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.RowUpdate;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.replica.ReadLevel;
import io.loyaltyledger.ledger.replica.Replica;
import io.loyaltyledger.ledger.replica.ReplicaUnavailableException;
import io.loyaltyledger.ledger.replica.WriteLevel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The local replica as the escrow code uses it: blocking, bounded reads and merges. */
public interface ReplicaAccounts {

  /** A node without a replica (store tests): it sees no other writer's row. */
  ReplicaAccounts NONE =
      new ReplicaAccounts() {
        @Override
        public Account read(String accountId) {
          return Account.EMPTY;
        }

        @Override
        public void adopt(String accountId, WriterKey writer, Row row) {}
      };

  /** The account in the local replica. */
  Account read(String accountId);

  /** Merges another writer's row (handed over with a transfer reply) into the local replica. */
  void adopt(String accountId, WriterKey writer, Row row);

  static ReplicaAccounts of(Replica replica, Duration timeout) {
    return new ReplicaAccounts() {
      @Override
      public Account read(String accountId) {
        int bucket = replica.bucketIds().bucketOf(accountId);
        try {
          return await(replica.read(bucket, ReadLevel.local()).toCompletableFuture(), timeout)
              .account(accountId);
        } catch (ReplicaUnavailableException e) {
          // Not a cluster member right now (rejoining): no other writer's row can be seen. An
          // empty account is still a lower bound of what other writers gave this one, so rights
          // computed from it never exceed the real ones: redemptions that this writer's own row
          // covers go on, and the others find nobody to ask (503 transfer_unavailable).
          return Account.EMPTY;
        }
      }

      @Override
      public void adopt(String accountId, WriterKey writer, Row row) {
        int bucket = replica.bucketIds().bucketOf(accountId);
        await(
            replica
                .merge(bucket, List.of(new RowUpdate(accountId, writer, row)), WriteLevel.local())
                .toCompletableFuture(),
            timeout);
      }
    };
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ReplicaUnavailableException unavailable) {
        throw unavailable;
      }
      throw new IllegalStateException("local replica failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("local replica did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the local replica", e);
    }
  }
}
