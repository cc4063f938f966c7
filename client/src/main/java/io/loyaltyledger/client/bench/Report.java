package io.loyaltyledger.client.bench;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The final report of a run: a table for people, or the same as JSON. */
public final class Report {

  private Report() {}

  /** One operation's row; {@code ok} answers make the throughput and the latency percentiles. */
  public record OperationRow(String operation, long ok, long errors, Percentiles latency) {}

  /** An error code, the HTTP status of the answers that carried it (0: no answer), where, how often. */
  public record ErrorRow(String code, int status, String operation, long count, String example) {}

  /**
   * Convergence lag of the sampled writes: {@code started} probes, of which {@code lag.count()}
   * converged, {@code notConverged} were not visible on every node within {@code bound}, and
   * {@code failed} could not tell (by error code). {@code skipped}: sampled while the probes in
   * flight were at their limit, not measured.
   */
  public record Lag(
      String sampling,
      int nodes,
      Duration bound,
      long started,
      long notConverged,
      Map<String, Long> failed,
      long skipped,
      Percentiles lag) {

    long failedTotal() {
      return failed.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Everything measured. {@code targetRate} is 0 for a closed loop. {@code substituted}: per
   * operation, how often it was picked but another ran instead (a cancellation with no order of
   * this run left to cancel, a redemption with no account known to hold enough points: an order
   * ran instead).
   */
  public record Result(
      Map<String, String> settings,
      long elapsedNanos,
      double targetRate,
      List<OperationRow> operations,
      OperationRow total,
      List<ErrorRow> errors,
      Map<String, Long> substituted,
      Lag lag) {

    public double seconds() {
      return elapsedNanos / 1e9;
    }

    /** Successful operations per second of the run. */
    public double throughput(OperationRow row) {
      return elapsedNanos <= 0 ? 0 : row.ok() / seconds();
    }
  }

  public static void text(PrintWriter out, Result r) {
    List<List<String>> settings = new ArrayList<>();
    r.settings().forEach((k, v) -> settings.add(List.of(k, v)));
    table(out, settings, 0);
    out.println();

    List<List<String>> ops = new ArrayList<>();
    ops.add(List.of("OPERATION", "OK", "ERRORS", "OPS/S", "P50 MS", "P99 MS", "P99.9 MS", "MAX MS"));
    for (OperationRow row : r.operations()) {
      ops.add(operationCells(r, row));
    }
    ops.add(operationCells(r, r.total()));
    table(out, ops, 1);
    out.println();

    long answered = r.total().ok() + r.total().errors();
    StringBuilder summary = new StringBuilder()
        .append("elapsed ").append(String.format(Locale.ROOT, "%.1f", r.seconds())).append(" s, ")
        .append(answered).append(" operations answered, ")
        .append(r.total().ok()).append(" ok: ").append(rate(r.throughput(r.total()))).append(" ops/s");
    if (r.targetRate() > 0) {
      summary.append(" (target ").append(number(r.targetRate())).append(" ops/s)");
    }
    out.println(summary);
    out.println(r.targetRate() > 0
        ? "latency of ok answers, from each operation's intended start (open loop: a stall delays the operations behind it, and they count it)"
        : "latency of ok answers, from each operation's start (closed loop)");
    r.substituted().forEach((op, n) -> out.println(
        op + " that ran as orders: " + n + (op.equals("cancellations")
            ? " (no order of this run was left to cancel)"
            : " (no account was known to hold enough points)")));
    out.println();

    if (r.errors().isEmpty()) {
      out.println("ERRORS  none");
    } else {
      List<List<String>> errs = new ArrayList<>();
      errs.add(List.of("ERROR", "STATUS", "OPERATION", "COUNT"));
      for (ErrorRow e : r.errors()) {
        errs.add(List.of(e.code(), e.status() == 0 ? "-" : Integer.toString(e.status()), e.operation(),
            Long.toString(e.count())));
      }
      table(out, errs, 3);
    }
    out.println();

    Lag lag = r.lag();
    out.println("CONVERGENCE LAG  from an acknowledged write until every node (" + lag.nodes()
        + ") shows it; sampled: " + lag.sampling());
    if (lag.started() == 0 && lag.skipped() == 0) {
      out.println("no write was sampled");
    } else {
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("PROBES", "CONVERGED", "NOT WITHIN " + DurationText.format(lag.bound()).replace(" ", ""),
          "FAILED", "SKIPPED", "P50 MS", "P99 MS", "MAX MS"));
      rows.add(List.of(
          Long.toString(lag.started()), Long.toString(lag.lag().count()),
          Long.toString(lag.notConverged()), Long.toString(lag.failedTotal()), Long.toString(lag.skipped()),
          millis(lag.lag().count(), lag.lag().p50()), millis(lag.lag().count(), lag.lag().p99()),
          millis(lag.lag().count(), lag.lag().max())));
      table(out, rows, 0);
      if (!lag.failed().isEmpty()) {
        out.println("failed probes by error: " + lag.failed());
      }
      if (lag.skipped() > 0) {
        out.println("skipped: sampled while the probes in flight were at their limit (--lag-in-flight)");
      }
    }
    out.flush();
  }

  private static List<String> operationCells(Result r, OperationRow row) {
    Percentiles p = row.latency();
    return List.of(
        row.operation(), Long.toString(row.ok()), Long.toString(row.errors()),
        rate(r.throughput(row)),
        millis(p.count(), p.p50()), millis(p.count(), p.p99()), millis(p.count(), p.p999()),
        millis(p.count(), p.max()));
  }

  public static Map<String, Object> json(Result r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("settings", r.settings());
    json.put("elapsedSeconds", round(r.seconds(), 3));
    if (r.targetRate() > 0) {
      json.put("targetRate", r.targetRate());
    }
    Map<String, Object> ops = new LinkedHashMap<>();
    for (OperationRow row : r.operations()) {
      ops.put(row.operation(), operationJson(r, row));
    }
    json.put("operations", ops);
    json.put("total", operationJson(r, r.total()));
    List<Map<String, Object>> errors = new ArrayList<>();
    for (ErrorRow e : r.errors()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", e.code());
      m.put("status", e.status());
      m.put("operation", e.operation());
      m.put("count", e.count());
      m.put("example", e.example());
      errors.add(m);
    }
    json.put("errors", errors);
    json.put("substituted", r.substituted());
    Lag lag = r.lag();
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("sampling", lag.sampling());
    l.put("nodes", lag.nodes());
    l.put("boundSeconds", round(lag.bound().toMillis() / 1000.0, 3));
    l.put("probes", lag.started());
    l.put("converged", lag.lag().count());
    l.put("notConverged", lag.notConverged());
    l.put("failed", lag.failed());
    l.put("skipped", lag.skipped());
    l.put("lagMs", percentilesJson(lag.lag(), false));
    json.put("convergenceLag", l);
    return json;
  }

  private static Map<String, Object> operationJson(Result r, OperationRow row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", row.ok());
    m.put("errors", row.errors());
    m.put("throughput", round(r.throughput(row), 3));
    m.put("latencyMs", percentilesJson(row.latency(), true));
    return m;
  }

  private static Map<String, Object> percentilesJson(Percentiles p, boolean withP999) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (p.count() == 0) {
      return m;
    }
    m.put("p50", round(p.p50() / 1000.0, 3));
    m.put("p99", round(p.p99() / 1000.0, 3));
    if (withP999) {
      m.put("p99.9", round(p.p999() / 1000.0, 3));
    }
    m.put("max", round(p.max() / 1000.0, 3));
    return m;
  }

  /** Microseconds as milliseconds: 2 decimals under 10 ms, 1 under 100 ms, else none; "-" when nothing was measured. */
  static String millis(long count, long micros) {
    if (count == 0) {
      return "-";
    }
    double ms = micros / 1000.0;
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    if (ms < 100) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%.0f", ms);
  }

  /** Operations per second, one decimal. */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.1f", perSecond);
  }

  /** At most one decimal, none when it is whole: 60, 12.5, 33.3. */
  public static String number(double value) {
    BigDecimal d = BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
  }

  private static double round(double value, int decimals) {
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
  }

  /**
   * Rows of cells, the first the header (when {@code leftColumns} &gt; 0); the first {@code
   * leftColumns} columns are aligned left, the others right (numbers). {@code leftColumns} 0: a
   * two-column key/value list, both left.
   */
  static void table(PrintWriter out, List<List<String>> rows, int leftColumns) {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        int w = row.get(i).length();
        if (widths.size() <= i) {
          widths.add(w);
        } else if (widths.get(i) < w) {
          widths.set(i, w);
        }
      }
    }
    boolean allLeft = leftColumns == 0 && !rows.isEmpty() && rows.get(0).size() == 2;
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        int pad = widths.get(i) - cell.length();
        boolean left = allLeft || i < leftColumns;
        if (i > 0) {
          line.append("  ");
        }
        if (left) {
          line.append(cell).append(" ".repeat(pad));
        } else {
          line.append(" ".repeat(pad)).append(cell);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
