package io.loyaltyledger.ledger.metrics;

import io.loyaltyledger.ledger.crdt.Bucket;
import io.loyaltyledger.ledger.crdt.BucketSerializer;
import io.loyaltyledger.ledger.publish.BackgroundThread;
import io.loyaltyledger.ledger.replica.ReadLevel;
import io.loyaltyledger.ledger.replica.Replica;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what the local replica holds — buckets with data, accounts, serialized bytes, the largest
 * bucket — every interval, from local reads a few at a time: too dear to compute on every scrape.
 */
public final class ReplicaCensus implements AutoCloseable {

  private static final int READS_IN_FLIGHT = 8;

  private final Replica replica;
  private final ScheduledExecutorService thread;
  private volatile Counts last = new Counts(0, 0, 0, 0);

  private record Counts(long buckets, long accounts, long bytes, long largestBucketBytes) {}

  public ReplicaCensus(Replica replica, Duration interval, PrometheusRegistry registry) {
    this.replica = replica;
    this.thread = BackgroundThread.named("replica-census");
    gauge(registry, "loyalty_replica_buckets", "Buckets of the local replica holding any account",
        () -> last.buckets());
    gauge(registry, "loyalty_replica_accounts", "Accounts in the local replica", () -> last.accounts());
    gauge(registry, "loyalty_replica_bytes", "Serialized size of the local replica's buckets",
        () -> last.bytes());
    gauge(registry, "loyalty_replica_largest_bucket_bytes",
        "Serialized size of the largest bucket (must stay well under the Artery frame size)",
        () -> last.largestBucketBytes());
    thread.scheduleWithFixedDelay(this::count, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void gauge(PrometheusRegistry registry, String name, String help,
      java.util.function.LongSupplier value) {
    GaugeWithCallback.builder().name(name).help(help)
        .callback(callback -> callback.call(value.getAsLong()))
        .register(registry);
  }

  private void count() {
    AtomicLong buckets = new AtomicLong();
    AtomicLong accounts = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong largest = new AtomicLong();
    int total = replica.bucketIds().buckets();
    try {
      for (int from = 0; from < total; from += READS_IN_FLIGHT) {
        CompletableFuture<?>[] reads = new CompletableFuture<?>[Math.min(READS_IN_FLIGHT, total - from)];
        for (int i = 0; i < reads.length; i++) {
          reads[i] = replica.read(from + i, ReadLevel.local()).toCompletableFuture()
              .thenAccept(bucket -> add(bucket, buckets, accounts, bytes, largest));
        }
        CompletableFuture.allOf(reads).get(10, TimeUnit.SECONDS);
      }
      last = new Counts(buckets.get(), accounts.get(), bytes.get(), largest.get());
    } catch (Exception e) {
      // The replica is not reachable right now (starting, stopping): keep the last counts.
    }
  }

  private static void add(Bucket bucket, AtomicLong buckets, AtomicLong accounts, AtomicLong bytes,
      AtomicLong largest) {
    if (bucket.size() == 0) {
      return;
    }
    int size = BucketSerializer.encode(bucket).length;
    buckets.incrementAndGet();
    accounts.addAndGet(bucket.size());
    bytes.addAndGet(size);
    largest.accumulateAndGet(size, Math::max);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
