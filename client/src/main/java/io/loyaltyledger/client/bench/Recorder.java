package io.loyaltyledger.client.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What a run measured so far, recorded from many threads at once: per operation the answered
 * count and an HdrHistogram of latencies (microseconds, 3 significant digits), errors by code and
 * operation, operations that had to run as another one, and the convergence lag of sampled writes.
 */
public final class Recorder {

  private final EnumMap<Operation, ConcurrentHistogram> latency = new EnumMap<>(Operation.class);
  private final EnumMap<Operation, LongAdder> errorsByOp = new EnumMap<>(Operation.class);
  private final EnumMap<Operation, LongAdder> substituted = new EnumMap<>(Operation.class);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, String> examples = new ConcurrentHashMap<>();
  private final LongAdder done = new LongAdder();
  private final LongAdder failed = new LongAdder();

  private final ConcurrentHistogram lag = new ConcurrentHistogram(3);
  private final LongAdder lagNotConverged = new LongAdder();
  private final Map<String, LongAdder> lagFailures = new ConcurrentHashMap<>();
  private final LongAdder lagSkipped = new LongAdder();
  private final LongAdder lagStarted = new LongAdder();

  public Recorder() {
    for (Operation op : Operation.values()) {
      latency.put(op, new ConcurrentHistogram(3));
      errorsByOp.put(op, new LongAdder());
      substituted.put(op, new LongAdder());
    }
  }

  /** An operation answered successfully after {@code nanos}. */
  public void ok(Operation op, long nanos) {
    latency.get(op).recordValue(Math.max(1, nanos / 1_000));
    done.increment();
  }

  /**
   * An operation ended with error {@code code}: a node's error code with the HTTP {@code status}
   * of its answer, or the client's ({@code outcome_unknown}, {@code no_node_available}: status 0).
   */
  public void error(Operation op, String code, int status, String message) {
    errors.computeIfAbsent(code + "\u0000" + status + "\u0000" + op.name(), k -> new LongAdder()).increment();
    examples.putIfAbsent(code, message == null ? code : message);
    errorsByOp.get(op).increment();
    done.increment();
    failed.increment();
  }

  /** {@code wanted} was picked but could not run (nothing to cancel yet, say): another ran instead. */
  public void substituted(Operation wanted) {
    substituted.get(wanted).increment();
  }

  public void lagStarted() {
    lagStarted.increment();
  }

  public void lag(long nanos) {
    lag.recordValue(Math.max(1, nanos / 1_000));
  }

  public void lagNotConverged() {
    lagNotConverged.increment();
  }

  /** A probe could not tell (a node did not answer, say): error {@code code}. */
  public void lagFailed(String code) {
    lagFailures.computeIfAbsent(code, k -> new LongAdder()).increment();
  }

  /** A write was drawn for sampling while the probes in flight were at their limit. */
  public void lagSkipped() {
    lagSkipped.increment();
  }

  /** Operations that answered, successfully or not. */
  public long done() {
    return done.sum();
  }

  public long errors() {
    return failed.sum();
  }

  public long lagMeasured() {
    return lag.getTotalCount();
  }

  /** The summary; call once the threads that record have stopped. */
  public Report.Result result(Map<String, String> settings, long elapsedNanos, Pacing pacing,
      LagSampler sampler, java.time.Duration lagBound, int lagNodes) {
    List<Report.OperationRow> rows = new ArrayList<>();
    Histogram all = new Histogram(3);
    long allErrors = 0;
    for (Operation op : Operation.values()) {
      ConcurrentHistogram h = latency.get(op);
      long errs = errorsByOp.get(op).sum();
      allErrors += errs;
      if (h.getTotalCount() > 0 || errs > 0) {
        rows.add(new Report.OperationRow(op.label(), h.getTotalCount(), errs, Percentiles.of(h)));
      }
      all.add(h);
    }
    Report.OperationRow total = new Report.OperationRow("all", all.getTotalCount(), allErrors, Percentiles.of(all));
    List<Report.ErrorRow> errorRows = new ArrayList<>();
    errors.forEach((key, count) -> {
      String[] parts = key.split("\u0000");
      errorRows.add(new Report.ErrorRow(parts[0], Integer.parseInt(parts[1]),
          Operation.valueOf(parts[2]).label(), count.sum(), examples.get(parts[0])));
    });
    errorRows.sort(Comparator.comparing(Report.ErrorRow::count).reversed()
        .thenComparing(Report.ErrorRow::code).thenComparing(Report.ErrorRow::operation));
    Map<String, Long> subs = new java.util.LinkedHashMap<>();
    substituted.forEach((op, n) -> {
      if (n.sum() > 0) {
        subs.put(op.label(), n.sum());
      }
    });
    Map<String, Long> lagFailed = new java.util.TreeMap<>();
    lagFailures.forEach((code, n) -> lagFailed.put(code, n.sum()));
    Report.Lag lagResult = new Report.Lag(
        sampler.describe(), lagNodes, lagBound, lagStarted.sum(), lagNotConverged.sum(),
        lagFailed, lagSkipped.sum(), Percentiles.of(lag));
    return new Report.Result(settings, elapsedNanos, pacing.openLoop() ? pacing.ratePerSecond() : 0,
        rows, total, errorRows, subs, lagResult);
  }
}
