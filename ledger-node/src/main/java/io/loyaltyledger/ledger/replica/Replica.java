package io.loyaltyledger.ledger.replica;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import io.loyaltyledger.ledger.crdt.Bucket;
import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.crdt.RowUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This node's replica of the ledger: reads and merges buckets through the Distributed Data
 * replicator, as futures, so that HTTP routes and the publisher never deal with actor messages.
 *
 * <p>The replicator lives in the node's cluster actor system, which a node downed by the split
 * brain resolver replaces with a new one. The replica is therefore <em>attached</em> to the
 * current cluster system while its member is up, and detached in between: then every read and
 * merge fails at once with {@link ReplicaUnavailableException} (HTTP {@code 503
 * replica_unavailable}), and the writer's commits simply stay pending for the publisher.
 */
public final class Replica {

  /** How much longer than its ask a request may take before it is failed regardless. */
  private static final Duration GUARD_MARGIN = Duration.ofSeconds(1);

  private final BucketIds bucketIds;
  private volatile Attachment attachment;

  private record Attachment(ActorSystem<?> system, ActorRef<Replicator.Command> replicator) {}

  /** A replica attached to {@code system}'s replicator from the start. */
  public Replica(ActorSystem<?> system, BucketIds bucketIds) {
    this(bucketIds);
    attach(system);
  }

  /** A replica attached to no cluster system yet: see {@link #attach}. */
  public Replica(BucketIds bucketIds) {
    this.bucketIds = bucketIds;
  }

  /** From now on, reads and merges go to {@code system}'s replicator. */
  public void attach(ActorSystem<?> system) {
    attachment = new Attachment(system, DistributedData.get(system).replicator());
  }

  /**
   * Reads and merges fail with {@link ReplicaUnavailableException} from now on, if the replica is
   * still attached to {@code system} (a later attachment is left alone).
   */
  public void detach(ActorSystem<?> system) {
    Attachment current = attachment;
    if (current != null && current.system() == system) {
      attachment = null;
    }
  }

  /** Whether reads and merges have a replicator to go to. */
  public boolean isAttached() {
    return attachment != null;
  }

  /** The cluster system the replica is attached to, if any. */
  public Optional<ActorSystem<?>> system() {
    Attachment current = attachment;
    return current == null ? Optional.empty() : Optional.of(current.system());
  }

  public BucketIds bucketIds() {
    return bucketIds;
  }

  /** Reads one bucket; a bucket nobody wrote yet reads as empty. */
  public CompletionStage<Bucket> read(int bucket, ReadLevel level) {
    Key<Bucket> key = bucketIds.keyOf(bucket);
    Attachment attached = attachment;
    if (attached == null) {
      return unavailable();
    }
    ActorSystem<?> system = attached.system();
    ActorRef<Replicator.Command> replicator = attached.replicator();
    Duration askTimeout = level.timeout().plus(Duration.ofSeconds(1));
    CompletionStage<Replicator.GetResponse<Bucket>> answer =
        AskPattern.ask(
            replicator,
            replyTo -> new Replicator.Get<>(key, level.consistency(), replyTo),
            askTimeout,
            system.scheduler());
    // Continue on Akka's dispatcher: the common pool has a single thread on two cores and would
    // start a new thread for every reply.
    return whileAttached(attached, askTimeout, answer.thenApplyAsync(
        response -> {
          if (response instanceof Replicator.GetSuccess<Bucket> success) {
            return success.get(key);
          }
          if (response instanceof Replicator.NotFound<Bucket>) {
            return Bucket.EMPTY;
          }
          throw new ReplicaUnavailableException(
              "bucket " + key.id() + " could not be read at " + level.name());
        },
        system.executionContext()));
  }

  /**
   * Merges rows into one bucket. Completes with {@code true} once the requested write level
   * acknowledged it, while the replica is still attached to the system that did; {@code false}
   * when it timed out — the local replica has the rows either way.
   */
  public CompletionStage<Boolean> merge(int bucket, List<RowUpdate> rows, WriteLevel level) {
    Key<Bucket> key = bucketIds.keyOf(bucket);
    Attachment attached = attachment;
    if (attached == null) {
      return unavailable();
    }
    ActorSystem<?> system = attached.system();
    ActorRef<Replicator.Command> replicator = attached.replicator();
    Duration askTimeout = level.timeout().plus(Duration.ofSeconds(1));
    CompletionStage<Replicator.UpdateResponse<Bucket>> answer =
        AskPattern.ask(
            replicator,
            replyTo ->
                new Replicator.Update<>(
                    key, Bucket.EMPTY, level.consistency(), replyTo, data -> data.mergeRowsRecordingAll(rows)),
            askTimeout,
            system.scheduler());
    // Continue on Akka's dispatcher: the common pool has a single thread on two cores and would
    // start a new thread for every reply.
    return whileAttached(attached, askTimeout, answer.thenApplyAsync(
        response -> {
          if (response instanceof Replicator.UpdateSuccess<Bucket>) {
            // A cluster system being replaced may count itself alone as the majority (its
            // replicator drops the other members as it shuts down): only a success of the
            // current system counts; otherwise the rows are simply published again.
            return attachment == attached;
          }
          if (response instanceof Replicator.UpdateTimeout<Bucket>) {
            return false;
          }
          throw new ReplicaUnavailableException(
              "bucket " + key.id() + " could not be updated: " + response);
        },
        system.executionContext()));
  }

  /**
   * Bounds a request by a clock of its own: an ask whose actor system terminated meanwhile may
   * never time out (its scheduler is gone). A request that failed because its cluster system
   * went away (the ask timed out, the dispatcher refused the continuation), or that timed out,
   * fails as unavailable, like one made after the detach.
   */
  private <T> CompletionStage<T> whileAttached(
      Attachment attached, Duration askTimeout, CompletionStage<T> request) {
    return request
        .toCompletableFuture()
        .orTimeout(askTimeout.plus(GUARD_MARGIN).toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (value, error) -> {
              if (error == null) {
                return value;
              }
              Throwable cause = error instanceof CompletionException && error.getCause() != null
                  ? error.getCause() : error;
              if (cause instanceof ReplicaUnavailableException unavailable) {
                throw unavailable;
              }
              if (attachment != attached) {
                throw new ReplicaUnavailableException(
                    "this node's cluster membership ended while the replica was asked: " + cause);
              }
              if (cause instanceof TimeoutException) { // Akka's AskTimeoutException is one too
                throw new ReplicaUnavailableException(
                    "the replica did not answer within " + askTimeout.toMillis() + " ms");
              }
              throw error instanceof CompletionException c ? c : new CompletionException(error);
            });
  }

  private static <T> CompletionStage<T> unavailable() {
    return CompletableFuture.failedFuture(
        new ReplicaUnavailableException(
            "this node is not a cluster member right now (rejoining after it was downed, or"
                + " starting): its replica is unavailable"));
  }
}
