package io.loyaltyledger.ledger.publish;

import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.Bucket;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.replica.ReadLevel;
import io.loyaltyledger.ledger.replica.Replica;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.StoredRow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the writer's own rows in its database with the replica, bucket by bucket.
 *
 * <ul>
 *   <li>The replica lacks a row or holds it lower: mark it pending for the publisher (this also
 *       rebuilds a cluster whose replicas were all wiped).
 *   <li>The replica holds it higher: the database went backwards (restored from a backup). Heal
 *       it — adopt the replica's row and re-apply this epoch's changes on top — and say so loudly.
 * </ul>
 *
 * A pass whose every read reached a majority verifies the epoch: from then on the database is
 * known to be at least the replica, and the next start may begin a new epoch.
 */
public final class Reconciler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final LedgerRows rows;
  private final Replica replica;
  private final WriterKey writerKey;
  private final ReconcilerSettings settings;
  private final Consumer<PassReport> afterPass;
  private final ScheduledExecutorService thread;

  public Reconciler(
      LedgerRows rows,
      Replica replica,
      WriterKey writerKey,
      ReconcilerSettings settings,
      Consumer<PassReport> afterPass) {
    this.rows = rows;
    this.replica = replica;
    this.writerKey = writerKey;
    this.settings = settings;
    this.afterPass = afterPass;
    this.thread = BackgroundThread.named("reconciler-" + writerKey.name());
  }

  /** Runs one pass on the reconciler's thread. */
  public CompletableFuture<PassReport> pass() {
    return CompletableFuture.supplyAsync(this::runPass, thread);
  }

  /**
   * Runs a pass every interval from now on, and every {@code unverified-retry} while the epoch is
   * not verified yet (the publisher waits for it).
   */
  public void schedulePeriodic(boolean verified) {
    long delay = (verified ? settings.interval() : settings.unverifiedRetry()).toMillis();
    thread.schedule(
        () -> {
          if (!replica.isAttached()) {
            // Not a cluster member right now (rejoining): the pass runs again once it is.
            schedulePeriodic(verified);
            return;
          }
          boolean ok = false;
          try {
            ok = runPass().verified();
          } catch (RuntimeException e) {
            log.warn("Reconciler pass failed, will run again: {}", e.toString());
          }
          schedulePeriodic(ok);
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  private PassReport runPass() {
    long started = System.nanoTime();
    boolean epochVerified = rows.isVerified();
    if (!epochVerified && rows.createdByThisOpen()) {
      // A database created by this start has a new incarnation, so a writer key that no replica
      // has seen: there is nothing of it to compare, and its commits so far are all pending.
      rows.markVerified();
      return report(started, new Counts(), 0, true);
    }
    int buckets = replica.bucketIds().buckets();
    // Once the epoch is verified the database holds at least what any replica holds of it, and
    // a pass only looks for rows the replica lacks: the local replica will do, with no traffic.
    ReadLevel level = epochVerified
        ? ReadLevel.local()
        : ReadLevel.majority(settings.readTimeout());
    ArrayDeque<CompletableFuture<BucketRead>> window = new ArrayDeque<>();
    Counts counts = new Counts();
    for (int bucket = 0; bucket < buckets; bucket++) {
      window.add(read(bucket, level));
      if (window.size() >= settings.readsInFlight()) {
        reconcile(window.poll().join(), epochVerified, counts);
      }
    }
    while (!window.isEmpty()) {
      reconcile(window.poll().join(), epochVerified, counts);
    }
    boolean verified = counts.localOnly == 0;
    if (verified && !epochVerified) {
      rows.markVerified();
    }
    return report(started, counts, buckets, verified);
  }

  private PassReport report(long started, Counts counts, int buckets, boolean verified) {
    PassReport report =
        new PassReport(
            buckets,
            counts.republished,
            counts.healed,
            verified,
            (System.nanoTime() - started) / 1_000_000);
    if (counts.healed > 0 || counts.republished > 0 || !verified) {
      log.info("Reconciler pass: {}", report);
    } else {
      log.debug("Reconciler pass: {}", report);
    }
    afterPass.accept(report);
    return report;
  }

  /**
   * Reads at {@code level}; when a majority does not answer, the local replica is still worth
   * comparing ({@code atLevel} false).
   */
  private CompletableFuture<BucketRead> read(int bucket, ReadLevel level) {
    return replica
        .read(bucket, level)
        .thenApply(data -> new BucketRead(bucket, data, true))
        .exceptionallyCompose(
            error ->
                replica.read(bucket, ReadLevel.local()).thenApply(data -> new BucketRead(bucket, data, false)))
        .toCompletableFuture();
  }

  private void reconcile(BucketRead read, boolean epochVerified, Counts counts) {
    if (!read.atLevel()) {
      counts.localOnly++;
      if (!epochVerified) {
        // The local replica may lack rows of the database's lost history: healing or publishing
        // against it could hide them for good. Wait for a majority.
        return;
      }
    }
    Map<String, StoredRow> stored = new HashMap<>();
    for (StoredRow row : rows.rowsInBucket(read.bucket())) {
      stored.put(row.accountId(), row);
    }
    List<String> republish = new ArrayList<>();
    for (Map.Entry<String, Account> entry : read.data().accounts().entrySet()) {
      Row replicated = entry.getValue().row(writerKey);
      if (replicated.isZero()) {
        continue;
      }
      StoredRow mine = stored.get(entry.getKey());
      Row own = mine == null ? Row.ZERO : toRow(mine);
      if (!own.covers(replicated)) {
        heal(entry.getKey(), own, replicated);
        counts.healed++;
      }
    }
    for (StoredRow mine : stored.values()) {
      Row own = toRow(mine);
      Row replicated = read.data().account(mine.accountId()).row(writerKey);
      if (own.covers(replicated) && !replicated.covers(own)) {
        republish.add(mine.accountId());
      }
    }
    if (!republish.isEmpty()) {
      counts.republished += republish.size();
      // The publisher sends them, paced like any other pending row.
      rows.markPending(republish);
    }
  }

  private void heal(String accountId, Row own, Row replicated) {
    log.error(
        "WRITER DATABASE WENT BACKWARDS: account [{}] of writer [{}] is {} in the replica but {} in"
            + " the database (restored from an older backup?). Healing: adopting the replica's row"
            + " and re-applying this epoch's changes on top.",
        accountId,
        writerKey,
        replicated,
        own);
    rows.heal(
        accountId,
        replicated.credited(),
        replicated.debited(),
        replicated.version(),
        replicated.sent());
  }

  private static Row toRow(StoredRow row) {
    return Row.of(row.credited(), row.debited(), row.version(), row.sent());
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  /**
   * What one pass found and did; verified when every bucket was read at the pass's level (a
   * majority until the epoch is verified). A pass of a new database reads no bucket.
   */
  public record PassReport(
      int buckets, int republished, int healed, boolean verified, long millis) {}

  private record BucketRead(int bucket, Bucket data, boolean atLevel) {}

  private static final class Counts {
    int republished;
    int healed;
    int localOnly;
  }
}
