package io.loyaltyledger.client.bench;

import io.loyaltyledger.client.LoyaltyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the convergence lag of sampled acknowledged writes: the time from the write's
 * acknowledgement until every node's replica shows it. For each sampled write, each node is asked
 * at once, on this class's own threads, for the account with the write's token ({@code
 * after=<writerKey>:<version>}): the node answers as soon as its replica holds that writer's row
 * at that version or later. The lag is the last node's answer time minus the acknowledgement
 * time — visibility, not an acknowledgement, and at most one request's round trip late.
 *
 * <p>At most {@code maxInFlight} probes run at once; a write sampled while they are all busy is
 * counted as skipped, so probing never queues up behind a slow cluster nor takes over the load.
 */
final class LagProbes implements AutoCloseable {

  private final BenchTarget target;
  private final List<String> replicas;
  private final LagSampler sampler;
  private final Duration bound;
  private final int maxInFlight;
  private final Recorder recorder;
  private final ExecutorService pool;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();

  LagProbes(BenchTarget target, LagSampler sampler, Duration bound, int maxInFlight, Recorder recorder) {
    this.target = target;
    this.replicas = List.copyOf(target.replicas());
    this.sampler = sampler;
    this.bound = bound;
    this.maxInFlight = maxInFlight;
    this.recorder = recorder;
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, maxInFlight * replicas.size()),
            r -> {
              Thread t = new Thread(r, "bench-lag-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  int nodes() {
    return replicas.size();
  }

  int inFlight() {
    return inFlight.get();
  }

  /** A write was acknowledged at {@code ackNanos} with {@code token}: measure it if sampled. */
  void acknowledged(String accountId, String token, long ackNanos) {
    if (token == null || replicas.isEmpty() || !sampler.sample(acknowledged.incrementAndGet())) {
      return;
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      recorder.lagSkipped();
      return;
    }
    recorder.lagStarted();
    long deadline = ackNanos + bound.toNanos();
    List<CompletableFuture<Long>> perNode = new ArrayList<>();
    try {
      for (String replica : replicas) {
        perNode.add(
            CompletableFuture.supplyAsync(
                () -> target.awaitVisible(replica, accountId, token, deadline) ? System.nanoTime() : -1L,
                pool));
      }
    } catch (RuntimeException rejected) { // the pool was shut down: the run is over
      inFlight.decrementAndGet();
      recorder.lagFailed("stopped");
      return;
    }
    CompletableFuture.allOf(perNode.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, error) -> {
              try {
                if (error != null) {
                  recorder.lagFailed(code(error));
                  return;
                }
                long last = 0;
                boolean everywhere = true;
                for (CompletableFuture<Long> f : perNode) {
                  long at = f.join();
                  everywhere &= at >= 0;
                  last = Math.max(last, at);
                }
                if (everywhere) {
                  recorder.lag(Math.max(0, last - ackNanos));
                } else {
                  recorder.lagNotConverged();
                }
              } finally {
                synchronized (inFlight) {
                  inFlight.decrementAndGet();
                  inFlight.notifyAll();
                }
              }
            });
  }

  /** Waits up to {@code timeout} for the probes in flight; true when none is left. */
  boolean drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        inFlight.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  private static String code(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e instanceof LoyaltyException le ? le.errorCode() : "client_error";
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
