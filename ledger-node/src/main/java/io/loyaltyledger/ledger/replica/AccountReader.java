package io.loyaltyledger.ledger.replica;

import akka.actor.typed.ActorSystem;
import io.loyaltyledger.ledger.crdt.Account;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** Reads one account from the replica, optionally waiting (bounded) until a token is visible. */
public final class AccountReader {

  private static final Duration POLL = Duration.ofMillis(20);

  private final ActorSystem<?> system;
  private final Replica replica;
  private final Consumer<Duration> tokenWaits;

  public AccountReader(ActorSystem<?> system, Replica replica) {
    this(system, replica, waited -> {});
  }

  /** A reader that tells {@code tokenWaits} how long each token took to become visible. */
  public AccountReader(ActorSystem<?> system, Replica replica, Consumer<Duration> tokenWaits) {
    this.system = system;
    this.replica = replica;
    this.tokenWaits = tokenWaits;
  }

  /** Completes with the account, or empty when the token did not become visible in time. */
  public CompletionStage<Optional<Account>> read(
      String accountId, ReadLevel level, Optional<ReadToken> after, Duration wait) {
    int bucket = replica.bucketIds().bucketOf(accountId);
    if (after.isEmpty()) {
      return replica.read(bucket, level).thenApply(data -> Optional.of(data.account(accountId)));
    }
    long started = System.nanoTime();
    long deadline = started + wait.toNanos();
    CompletableFuture<Optional<Account>> result = new CompletableFuture<>();
    poll(bucket, accountId, level, after.get(), deadline, result);
    return result.whenComplete((account, error) -> {
      if (account != null && account.isPresent()) {
        tokenWaits.accept(Duration.ofNanos(System.nanoTime() - started));
      }
    });
  }

  private void poll(
      int bucket,
      String accountId,
      ReadLevel level,
      ReadToken token,
      long deadline,
      CompletableFuture<Optional<Account>> result) {
    replica
        .read(bucket, level)
        .whenComplete(
            (data, error) -> {
              if (error != null) {
                result.completeExceptionally(error);
                return;
              }
              Account account = data.account(accountId);
              if (account.row(token.writer()).version() >= token.version()) {
                result.complete(Optional.of(account));
              } else if (System.nanoTime() >= deadline) {
                result.complete(Optional.empty());
              } else {
                system
                    .scheduler()
                    .scheduleOnce(
                        POLL,
                        () -> poll(bucket, accountId, level, token, deadline, result),
                        system.executionContext());
              }
            });
  }
}
