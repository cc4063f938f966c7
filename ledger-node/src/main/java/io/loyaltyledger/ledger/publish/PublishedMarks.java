package io.loyaltyledger.ledger.publish;

import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.PublishedRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in the writer's database, off the publishing path, which row versions a majority has
 * acknowledged. Marking is an optimisation — a row that is never marked is only published again,
 * which changes nothing — so it may lag; meanwhile {@link #isAwaiting} keeps the publisher from
 * sending the same version twice.
 *
 * <p>A mark is a row write (and an index update), several times the cost of publishing the row,
 * so marks wait while the publisher works through a backlog: they are written when it goes idle
 * ({@link #flush}) or once {@code maxUnmarked} rows wait.
 */
final class PublishedMarks implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PublishedMarks.class);
  private static final int BATCH = 5_000;

  private final LedgerRows rows;
  private final ScheduledExecutorService thread;
  private final Map<String, Long> awaiting = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final int maxUnmarked;
  private final long minDrainIntervalNanos;
  private volatile long lastDrainAt;
  private volatile ScheduledFuture<?> nextDrain;
  private volatile boolean closing;

  /** Marks are written at most once per {@code minDrainInterval} (each write is a commit). */
  PublishedMarks(LedgerRows rows, String name, int maxUnmarked, Duration minDrainInterval) {
    this.rows = rows;
    this.maxUnmarked = maxUnmarked;
    this.minDrainIntervalNanos = minDrainInterval.toNanos();
    this.lastDrainAt = System.nanoTime() - minDrainIntervalNanos;
    this.thread = BackgroundThread.named("published-marks-" + name);
  }

  /** The majority holds these rows at these versions. */
  void acknowledged(List<PublishedRow> published) {
    for (PublishedRow row : published) {
      awaiting.merge(row.accountId(), row.version(), Math::max);
    }
    if (awaiting.size() >= maxUnmarked) {
      flush();
    }
  }

  /** Writes the waiting marks soon, in the background. */
  void flush() {
    if (!awaiting.isEmpty() && scheduled.compareAndSet(false, true)) {
      long wait = lastDrainAt + minDrainIntervalNanos - System.nanoTime();
      nextDrain = thread.schedule(this::drain, Math.max(0, wait), TimeUnit.NANOSECONDS);
    }
  }

  /** Whether this version of the row was acknowledged and only waits to be marked. */
  boolean isAwaiting(String accountId, long version) {
    Long acknowledged = awaiting.get(accountId);
    return acknowledged != null && acknowledged >= version;
  }

  int backlog() {
    return awaiting.size();
  }

  private void drain() {
    scheduled.set(false);
    lastDrainAt = System.nanoTime();
    try {
      List<PublishedRow> batch = new ArrayList<>(BATCH);
      for (Map.Entry<String, Long> entry : awaiting.entrySet()) {
        if (closing) {
          return;
        }
        batch.add(new PublishedRow(entry.getKey(), entry.getValue()));
        if (batch.size() == BATCH) {
          mark(batch);
          batch = new ArrayList<>(BATCH);
        }
      }
      mark(batch);
    } catch (RuntimeException e) {
      log.warn("Marking published rows failed, will retry: {}", e.toString());
      if (scheduled.compareAndSet(false, true)) {
        nextDrain = thread.schedule(this::drain, 1, TimeUnit.SECONDS);
      }
    }
  }

  private void mark(List<PublishedRow> batch) {
    if (batch.isEmpty()) {
      return;
    }
    rows.markPublished(batch);
    for (PublishedRow row : batch) {
      awaiting.remove(row.accountId(), row.version());
    }
  }

  /**
   * Stops after the batch being written, without writing the rest: a large backlog of marks could
   * hold a shutdown for many seconds, and a row left unmarked is only published once more after
   * the restart.
   */
  @Override
  public void close() {
    closing = true;
    ScheduledFuture<?> waiting = nextDrain;
    if (waiting != null) {
      waiting.cancel(false); // a drain not begun yet would write nothing now: do not wait for it
    }
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
