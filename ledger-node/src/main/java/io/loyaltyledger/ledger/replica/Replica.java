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
import java.util.concurrent.CompletionStage;

/**
 * This node's replica of the ledger: reads and merges buckets through the Distributed Data
 * replicator, as futures, so that HTTP routes and the publisher never deal with actor messages.
 */
public final class Replica {

  private final ActorSystem<?> system;
  private final ActorRef<Replicator.Command> replicator;
  private final BucketIds bucketIds;

  public Replica(ActorSystem<?> system, BucketIds bucketIds) {
    this.system = system;
    this.replicator = DistributedData.get(system).replicator();
    this.bucketIds = bucketIds;
  }

  public BucketIds bucketIds() {
    return bucketIds;
  }

  /** Reads one bucket; a bucket nobody wrote yet reads as empty. */
  public CompletionStage<Bucket> read(int bucket, ReadLevel level) {
    Key<Bucket> key = bucketIds.keyOf(bucket);
    Duration askTimeout = level.timeout().plus(Duration.ofSeconds(1));
    CompletionStage<Replicator.GetResponse<Bucket>> answer =
        AskPattern.ask(
            replicator,
            replyTo -> new Replicator.Get<>(key, level.consistency(), replyTo),
            askTimeout,
            system.scheduler());
    // Continue on Akka's dispatcher: the common pool has a single thread on two cores and would
    // start a new thread for every reply.
    return answer.thenApplyAsync(
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
        system.executionContext());
  }

  /**
   * Merges rows into one bucket. Completes with {@code true} once the requested write level
   * acknowledged it; {@code false} when it timed out — the local replica has the rows either way.
   */
  public CompletionStage<Boolean> merge(int bucket, List<RowUpdate> rows, WriteLevel level) {
    Key<Bucket> key = bucketIds.keyOf(bucket);
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
    return answer.thenApplyAsync(
        response -> {
          if (response instanceof Replicator.UpdateSuccess<Bucket>) {
            return true;
          }
          if (response instanceof Replicator.UpdateTimeout<Bucket>) {
            return false;
          }
          throw new ReplicaUnavailableException(
              "bucket " + key.id() + " could not be updated: " + response);
        },
        system.executionContext());
  }
}
