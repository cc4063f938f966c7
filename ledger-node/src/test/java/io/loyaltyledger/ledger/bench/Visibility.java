package io.loyaltyledger.ledger.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Polls every node's local replica, bucket by bucket, until each bucket holds all the accounts
 * expected in it with their expected values. A bucket found complete on a node is not read again
 * on that node: replicated state only grows and the benchmark writes each account once, so it
 * stays complete. That keeps the polling cheap; nothing is subtracted from the measured time.
 */
final class Visibility {

  /** Reads bucket {@code bucket} on node {@code node} and says whether it is complete there. */
  interface BucketCheck {
    CompletionStage<Boolean> complete(int node, int bucket);
  }

  private final int nodes;
  private final int[] buckets;
  private final BucketCheck check;
  private final int maxReadsInFlight;
  private final int stopAfterIncomplete;
  private final AtomicLong reads = new AtomicLong();
  private final boolean[][] done;
  private final AtomicInteger[] remaining;
  /** System.nanoTime() at which the last bucket of a node was found complete; 0 = not yet. */
  private final AtomicLongArray nodeDoneAt;
  private final AtomicLong failedReads = new AtomicLong();
  private int polls;

  /**
   * @param buckets the buckets that must be checked (those expected to hold at least one account)
   */
  Visibility(int nodes, int bucketCount, int[] buckets, BucketCheck check, int maxReadsInFlight,
      int stopAfterIncomplete) {
    this.nodes = nodes;
    this.buckets = buckets;
    this.check = check;
    this.maxReadsInFlight = maxReadsInFlight;
    this.stopAfterIncomplete = stopAfterIncomplete;
    this.done = new boolean[nodes][bucketCount];
    this.remaining = new AtomicInteger[nodes];
    this.nodeDoneAt = new AtomicLongArray(nodes);
    for (int n = 0; n < nodes; n++) {
      remaining[n] = new AtomicInteger(buckets.length);
    }
  }

  /**
   * One pass over the buckets not yet complete, node by node in turn (round robin), in bucket
   * order. A node's pass stops early once {@code stopAfterIncomplete} of its buckets were found
   * incomplete: the rest cannot all be complete yet, and the next poll looks again. So the poll
   * that finds the last bucket complete has read every remaining bucket; true when all are
   * complete on every node.
   */
  boolean pollOnce() {
    polls++;
    Semaphore window = new Semaphore(maxReadsInFlight);
    List<CompletableFuture<Void>> reads = new ArrayList<>();
    AtomicInteger[] incomplete = new AtomicInteger[nodes];
    int[] next = new int[nodes];
    for (int n = 0; n < nodes; n++) {
      incomplete[n] = new AtomicInteger();
    }
    boolean issued = true;
    while (issued) {
      issued = false;
      for (int n = 0; n < nodes; n++) {
        if (remaining[n].get() == 0 || incomplete[n].get() >= stopAfterIncomplete) {
          continue;
        }
        while (next[n] < buckets.length && done[n][buckets[next[n]]]) {
          next[n]++;
        }
        if (next[n] == buckets.length) {
          continue;
        }
        int bucket = buckets[next[n]++];
        issued = true;
        window.acquireUninterruptibly();
        reads.add(read(n, bucket, incomplete[n]).whenComplete((v, e) -> window.release()));
      }
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
    reads.forEach(CompletableFuture::join);
    return allDone();
  }

  private CompletableFuture<Void> read(int node, int bucket, AtomicInteger incomplete) {
    reads.incrementAndGet();
    CompletionStage<Boolean> answer;
    try {
      answer = check.complete(node, bucket);
    } catch (RuntimeException e) {
      failedReads.incrementAndGet();
      incomplete.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }
    return answer
        .toCompletableFuture()
        .handle(
            (complete, error) -> {
              if (error != null) {
                failedReads.incrementAndGet();
                incomplete.incrementAndGet();
              } else if (complete) {
                long now = System.nanoTime();
                // seen by the next poll: allOf(...).join() orders it before
                done[node][bucket] = true;
                if (remaining[node].decrementAndGet() == 0) {
                  nodeDoneAt.set(node, now);
                }
              } else {
                incomplete.incrementAndGet();
              }
              return null;
            });
  }

  boolean allDone() {
    for (int n = 0; n < nodes; n++) {
      if (remaining[n].get() != 0) {
        return false;
      }
    }
    return true;
  }

  /** nanoTime at which node {@code n} was seen complete, 0 if not yet. */
  long nodeDoneAt(int n) {
    return nodeDoneAt.get(n);
  }

  /** The last node's completion time: when every node held everything; 0 if not yet. */
  long allDoneAt() {
    long last = 0;
    for (int n = 0; n < nodes; n++) {
      long t = nodeDoneAt.get(n);
      if (t == 0) {
        return 0;
      }
      last = Math.max(last, t);
    }
    return last;
  }

  /** Buckets complete on node {@code n}. */
  int completeBuckets(int n) {
    return buckets.length - remaining[n].get();
  }

  int checkedBuckets() {
    return buckets.length;
  }

  int polls() {
    return polls;
  }

  /** Bucket reads issued in all polls. */
  long reads() {
    return reads.get();
  }

  long failedReads() {
    return failedReads.get();
  }

}
