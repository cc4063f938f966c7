package io.loyaltyledger.ledger.publish;

import io.loyaltyledger.ledger.crdt.BucketSerializer;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.RowUpdate;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.replica.Replica;
import io.loyaltyledger.ledger.replica.WriteLevel;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.PublishedRow;
import io.loyaltyledger.ledger.writer.StoredRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies this writer's pending rows (absolute totals) into the replicated buckets. Publishing a row
 * twice changes nothing — merge is a maximum — so a crash anywhere only causes a re-publish.
 *
 * <p>One thread runs rounds: read the next pending rows (rounds walk them in bucket order), group
 * them by bucket into one merge per bucket, spend at most the byte budget of one gossip tick (and
 * pause for the share of a tick the round spent of it), and wait for a majority — reading the
 * next rows meanwhile when there is a backlog; {@link PublishedMarks} then advances {@code
 * published_version} off this path. A commit nudges it; a failed round backs off.
 */
public final class Publisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Publisher.class);

  private final LedgerRows rows;
  private final Replica replica;
  private final WriterKey writerKey;
  private final PublisherSettings settings;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong publishedRows = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean epochVerified;
  private final PublishedMarks marks;
  private final RoundObserver observer;
  // When the rounds began to find rows to send, 0 once a round found none (backlog age metric).
  private volatile long backlogSince;
  private long backoffMillis;
  private long nextRoundAt;
  // Where the next round continues: rounds walk the pending rows in (bucket, account) order.
  private int cursorBucket = -1;
  private String cursorAccount = "";
  // Rows after the cursor, read while the previous round waited for its acknowledgements.
  private List<StoredRow> prefetched;

  /** Told of every round that sent rows: how many, and nanoseconds from read to acknowledgement. */
  public interface RoundObserver {
    void round(int rows, long nanos);
  }

  public Publisher(LedgerRows rows, Replica replica, WriterKey writerKey, PublisherSettings settings) {
    this(rows, replica, writerKey, settings, (count, nanos) -> {});
  }

  public Publisher(LedgerRows rows, Replica replica, WriterKey writerKey, PublisherSettings settings,
      RoundObserver observer) {
    this.observer = observer;
    this.rows = rows;
    this.replica = replica;
    this.writerKey = writerKey;
    this.settings = settings;
    this.thread = BackgroundThread.named("publisher-" + writerKey.name());
    // a trickle of commits makes a round each, but its marks are written once per tick at most
    this.marks =
        new PublishedMarks(rows, writerKey.name(), settings.maxUnmarkedRows(), settings.tick());
  }

  /**
   * Lets rounds publish from now on: once the reconciler has verified this epoch of the database
   * against a majority. Before that, publishing could hide rows of a database restored from a
   * backup (see {@link Reconciler}); commits simply wait as pending rows.
   */
  public void open() {
    epochVerified = true;
    nudge();
  }

  /** Asks for a round soon: called after every commit that changed a row. */
  public void nudge() {
    if (!closed && scheduled.compareAndSet(false, true)) {
      long delay = Math.max(0, nextRoundAt - System.currentTimeMillis());
      thread.schedule(this::round, delay, TimeUnit.MILLISECONDS);
    }
  }

  /** Rows this process has seen acknowledged by a majority, for tests and metrics. */
  public long publishedRows() {
    return publishedRows.get();
  }

  private void round() {
    scheduled.set(false);
    if (closed) {
      return;
    }
    long started = System.currentTimeMillis();
    boolean morePending;
    long spent;
    try {
      RoundResult result = publishOnce();
      morePending = result.morePending();
      spent = result.bytes();
      backoffMillis = result.allAcknowledged() ? 0 : nextBackoff();
    } catch (RuntimeException e) {
      log.warn("Publishing failed, will retry: {}", e.toString());
      backoffMillis = nextBackoff();
      morePending = true;
      spent = settings.byteBudgetPerTick();
    }
    // One budget per tick, pro rata: after a round that spent the whole budget the next one starts
    // a tick later, after a round of a few rows almost at once. A backlog still goes out at one
    // budget per tick, and a trickle of commits does not wait for the tick.
    long pause = settings.tick().toMillis() * spent / settings.byteBudgetPerTick();
    nextRoundAt = started + pause + backoffMillis;
    if (morePending || backoffMillis > 0) {
      nudge();
    } else {
      // A safety net in case a nudge raced with the end of this round.
      thread.schedule(this::nudge, settings.tick().toMillis() * 5, TimeUnit.MILLISECONDS);
    }
  }

  private long nextBackoff() {
    long next = backoffMillis == 0 ? settings.tick().toMillis() : backoffMillis * 2;
    return Math.min(next, settings.maxBackoff().toMillis());
  }

  private RoundResult publishOnce() {
    if (!epochVerified) {
      return new RoundResult(false, true, 0);
    }
    long readStarted = System.nanoTime();
    Map<Integer, List<StoredRow>> byBucket = new LinkedHashMap<>();
    int bytes = 0;
    boolean morePending = false;
    // Read until the budget is spent: rows acknowledged but not yet marked cost no budget. Only
    // the first read of a round may start over from the first bucket, so a round ends.
    boolean budgetSpent = false;
    for (boolean first = true; !budgetSpent; first = false) {
      List<StoredRow> pending = nextPending(first);
      int taken = 0;
      for (StoredRow row : pending) {
        Row value = Row.of(row.credited(), row.debited(), row.version(), row.sent());
        int size = BucketSerializer.estimatedRowBytes(row.accountId(), value);
        if (bytes > 0 && bytes + size > settings.byteBudgetPerTick()) {
          budgetSpent = true;
          break;
        }
        taken++;
        cursorBucket = row.bucket();
        cursorAccount = row.accountId();
        if (marks.isAwaiting(row.accountId(), row.version())) {
          continue; // acknowledged already, only not marked yet
        }
        bytes += size;
        byBucket.computeIfAbsent(row.bucket(), b -> new ArrayList<>()).add(row);
      }
      morePending = taken < pending.size() || pending.size() == rowLimit();
      if (!morePending) {
        break;
      }
    }
    long publishStarted = System.nanoTime();
    List<Merge> merges = send(byBucket);
    if (morePending) {
      // Read the next rows while the majority acknowledges these.
      prefetched = rows.pendingAfter(cursorBucket, cursorAccount, rowLimit());
    }
    boolean allAcknowledged = awaitAcknowledgements(merges);
    int sent = merges.stream().mapToInt(m -> m.rows().size()).sum();
    if (sent > 0) {
      observer.round(sent, System.nanoTime() - readStarted);
    }
    trackBacklog(morePending || !allAcknowledged || sent > 0);
    if (log.isDebugEnabled()) {
      log.debug("Round: {} rows of {} buckets read in {} ms, published in {} ms", sent,
          byBucket.size(),
          (publishStarted - readStarted) / 1_000_000,
          (System.nanoTime() - publishStarted) / 1_000_000);
    }
    if (!morePending) {
      marks.flush();
    }
    return new RoundResult(morePending, allAcknowledged, bytes);
  }

  private void trackBacklog(boolean pending) {
    if (!pending) {
      backlogSince = 0;
    } else if (backlogSince == 0) {
      backlogSince = System.currentTimeMillis();
    }
  }

  /**
   * Seconds since the rounds began to find rows to send, 0 once a round found none: about the age
   * of the oldest row still pending (a row may wait up to one tick before a round sees it).
   */
  public double backlogAgeSeconds() {
    long since = backlogSince;
    return since == 0 ? 0 : (System.currentTimeMillis() - since) / 1000.0;
  }

  private int rowLimit() {
    return Math.max(1, settings.byteBudgetPerTick() / 24);
  }

  /**
   * The pending rows after the cursor (read ahead by the last round, if it did); when there are
   * none and {@code mayStartOver}, those from the first bucket on.
   */
  private List<StoredRow> nextPending(boolean mayStartOver) {
    List<StoredRow> pending = prefetched;
    prefetched = null;
    if (pending == null || pending.isEmpty()) {
      pending = rows.pendingAfter(cursorBucket, cursorAccount, rowLimit());
    }
    if (pending.isEmpty() && cursorBucket >= 0 && mayStartOver) {
      cursorBucket = -1;
      cursorAccount = "";
      pending = rows.pendingAfter(cursorBucket, cursorAccount, rowLimit());
    }
    return pending;
  }

  /** Sends one merge per bucket (split when large), a bounded number at a time. */
  private List<Merge> send(Map<Integer, List<StoredRow>> byBucket) {
    Semaphore inFlight = new Semaphore(settings.maxUpdatesInFlight());
    List<Merge> merges = new ArrayList<>();
    WriteLevel level = WriteLevel.majority(settings.writeTimeout());
    for (Map.Entry<Integer, List<StoredRow>> entry : byBucket.entrySet()) {
      List<StoredRow> bucketRows = entry.getValue();
      for (int from = 0; from < bucketRows.size(); from += settings.maxRowsPerUpdate()) {
        List<StoredRow> chunk =
            bucketRows.subList(from, Math.min(bucketRows.size(), from + settings.maxRowsPerUpdate()));
        inFlight.acquireUninterruptibly();
        CompletableFuture<Boolean> merge =
            replica
                .merge(entry.getKey(), toUpdates(chunk), level)
                .toCompletableFuture()
                .handle((ok, error) -> ok != null && ok)
                .whenComplete((ok, error) -> inFlight.release());
        merges.add(new Merge(chunk, merge));
      }
    }
    return merges;
  }

  private boolean awaitAcknowledgements(List<Merge> merges) {
    List<StoredRow> acknowledged = new ArrayList<>();
    boolean all = true;
    for (Merge merge : merges) {
      if (merge.acknowledged().join()) {
        acknowledged.addAll(merge.rows());
      } else {
        all = false;
      }
    }
    markPublished(acknowledged);
    return all;
  }

  private void markPublished(List<StoredRow> chunk) {
    if (chunk.isEmpty()) {
      return;
    }
    List<PublishedRow> published = new ArrayList<>(chunk.size());
    for (StoredRow row : chunk) {
      published.add(new PublishedRow(row.accountId(), row.version()));
    }
    marks.acknowledged(published);
    publishedRows.addAndGet(published.size());
  }

  private List<RowUpdate> toUpdates(List<StoredRow> chunk) {
    List<RowUpdate> updates = new ArrayList<>(chunk.size());
    for (StoredRow row : chunk) {
      updates.add(
          new RowUpdate(
              row.accountId(),
              writerKey,
              Row.of(row.credited(), row.debited(), row.version(), row.sent())));
    }
    return updates;
  }

  @Override
  public void close() {
    flush();
    closed = true;
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    marks.close();
  }

  /**
   * Publishes what is pending before the node stops, for at most {@code flush-on-stop}: other
   * nodes then see this writer's last commits while it is down (a restart would publish them
   * anyway).
   */
  private void flush() {
    if (closed || !epochVerified || settings.flushOnStop().isZero()) {
      return;
    }
    long deadline = System.nanoTime() + settings.flushOnStop().toNanos();
    try {
      thread.submit(() -> {
        boolean more = true;
        while (more && System.nanoTime() < deadline) {
          RoundResult result = publishOnce();
          more = result.morePending() || !result.allAcknowledged();
        }
      }).get(settings.flushOnStop().toMillis() + settings.writeTimeout().toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("Publishing before stopping did not finish: {}", e.toString());
    }
  }

  private record RoundResult(boolean morePending, boolean allAcknowledged, long bytes) {}

  private record Merge(List<StoredRow> rows, CompletableFuture<Boolean> acknowledged) {}
}
