package io.loyaltyledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final table of {@code bench/compare.sh}: reads what each phase left in the run's results
 * directory and prints, per path, ours, its baseline from the same run, the ratio, the goal of
 * issue 8 and whether it is met.
 *
 * <pre>
 *   publish.txt                      bench/publish.sh's output (PublishBenchmark)
 *   intake-ours.json, intake-baseline.json   loyalty bench --json, orders only
 *   reads-ours.json, reads-baseline.json     loyalty bench --json, reads only
 *   lag.json                         loyalty bench --json against the 5-node cluster
 *   memory.txt                       bench/memory.sh's output (ReplicaMemoryBenchmark)
 * </pre>
 *
 * A missing or unreadable file makes its row {@code not measured}; the exit code is then 1. A row
 * without a goal (for information) shows {@code -} as its verdict.
 * {@code --markdown=FILE} also writes the table as Markdown (for BENCHMARKS.md).
 */
public final class CompareReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One row of the table. {@code met} is empty when the row could not be judged. */
  public record Row(String path, String ours, String baseline, String ratio, String goal, Optional<Boolean> met) {
    String verdict() {
      return met.map(m -> m ? "MET" : "NOT MET").orElse("-");
    }
  }

  /** A {@code loyalty bench --json} run, reduced to what the table shows. */
  public record BenchRun(double throughput, double p50, double p99, double max, long ok, long errors,
      double serverCpuSeconds) {

    BenchRun withServerCpu(double seconds) {
      return new BenchRun(throughput, p50, p99, max, ok, errors, seconds);
    }
  }

  /** The convergence lag of a {@code loyalty bench --json} run. */
  public record Lag(long probes, long converged, long notConverged, long failed, long skipped,
      double p50, double p99, double max, int nodes, double targetRate, double achievedRate) {

    /** An open-loop run that fell more than 10 % behind its rate measured a queue, not that rate. */
    boolean keptUp() {
      return targetRate <= 0 || achievedRate >= 0.9 * targetRate;
    }
  }

  /** What PublishBenchmark printed: rates in items/s, NaN when its row is missing or failed. */
  public record Publish(double ours, double rawLocal, double rawMajority) {}

  /** What ReplicaMemoryBenchmark printed. */
  public record Memory(long accounts, int writers, double bytesPerAccount, long largestBucket) {}

  private CompareReport() {}

  public static void main(String[] args) throws IOException {
    Path dir = null;
    Path markdown = null;
    for (String a : args) {
      if (a.startsWith("--markdown=")) {
        markdown = Path.of(a.substring("--markdown=".length()));
      } else {
        dir = Path.of(a);
      }
    }
    if (dir == null) {
      System.err.println("usage: CompareReport RESULTS_DIR [--markdown=FILE]");
      System.exit(2);
    }
    List<Row> rows = rows(dir);
    print(System.out, rows);
    if (markdown != null) {
      Files.writeString(markdown, markdown(rows));
    }
    System.exit(rows.stream().anyMatch(CompareReport::notMeasured) ? 1 : 0);
  }

  /** Every row, from the files of {@code dir}. */
  public static List<Row> rows(Path dir) {
    List<Row> rows = new ArrayList<>();
    Optional<Publish> publish = read(dir.resolve("publish.txt")).map(CompareReport::parsePublish);
    rows.add(publish
        .filter(p -> p.ours() > 0 && p.rawLocal() > 0)
        .map(p -> new Row("publishing into 3 nodes: ours batched rows vs raw PNCounterMap,"
                + " 1 increment/Update, WriteLocal", rate(p.ours(), "rows/s"), rate(p.rawLocal(), "ops/s"),
            ratio(p.ours() / p.rawLocal()), ">= 20x", Optional.of(p.ours() >= 20 * p.rawLocal())))
        .orElse(notMeasured("publishing into 3 nodes vs raw PNCounterMap (WriteLocal)", ">= 20x")));
    publish
        .filter(p -> p.ours() > 0 && p.rawMajority() > 0)
        .ifPresent(p -> rows.add(new Row("  same, raw with WriteMajority (as ours)", rate(p.ours(), "rows/s"),
            rate(p.rawMajority(), "ops/s"), ratio(p.ours() / p.rawMajority()), "(no goal)", Optional.empty())));
    rows.add(publish
        .filter(p -> p.ours() > 0)
        .map(p -> new Row("publishing rate into 3 nodes (absolute)", rate(p.ours(), "rows/s"), "-", "-",
            ">= 100 000 rows/s", Optional.of(p.ours() >= 100_000)))
        .orElse(notMeasured("publishing rate into 3 nodes (absolute)", ">= 100 000 rows/s")));

    Optional<BenchRun> intakeOurs = bench(dir, "intake-ours", "orders");
    Optional<BenchRun> intakeBase = bench(dir, "intake-baseline", "orders");
    rows.add(compareThroughput("order intake, one order node over HTTP (PostgreSQL, fsync) vs monolith"
        + " (1 PostgreSQL transaction)", intakeOurs, intakeBase, 1.0, ">= 1x"));
    Optional<BenchRun> readsOurs = bench(dir, "reads-ours", "reads");
    Optional<BenchRun> readsBase = bench(dir, "reads-baseline", "reads");
    rows.add(compareThroughput("balance reads over HTTP (local) vs constant Akka HTTP route",
        readsOurs, readsBase, 0.70, ">= 0.70x"));

    Optional<Lag> lag = read(dir.resolve("lag.json")).flatMap(CompareReport::parseLag);
    rows.add(lag
        .filter(l -> l.converged() > 0)
        .map(l -> new Row(String.format(Locale.ROOT, "convergence lag p99, %d nodes, %s", l.nodes(),
                l.targetRate() > 0 ? Report.rate(l.targetRate()) + " writes/s" : "flat out"),
            String.format(Locale.ROOT, "p99 %s (p50 %s, max %s; %d/%d converged%s)", ms(l.p99()), ms(l.p50()),
                ms(l.max()), l.converged(), l.probes(),
                l.keptUp() ? "" : "; only " + Report.rate(Math.round(l.achievedRate())) + " writes/s achieved"),
            "-", "-", "<= 1 s",
            Optional.of(l.p99() <= 1000 && l.notConverged() == 0 && l.failed() == 0 && l.keptUp())))
        .orElse(notMeasured("convergence lag p99, 5 nodes", "<= 1 s")));

    Optional<Memory> memory = read(dir.resolve("memory.txt")).flatMap(CompareReport::parseMemory);
    rows.add(memory
        .map(m -> new Row(String.format(Locale.ROOT, "replica memory per account (%,d accounts x %d writers)",
                m.accounts(), m.writers()),
            String.format(Locale.ROOT, "%.1f bytes", m.bytesPerAccount()), "-", "-", "<= 200 bytes",
            Optional.of(m.bytesPerAccount() <= 200)))
        .orElse(notMeasured("replica memory per account", "<= 200 bytes")));
    rows.add(memory
        .map(m -> new Row("largest bucket, serialized, at that scale",
            String.format(Locale.ROOT, "%,d bytes", m.largestBucket()), "-", "-", "< 65 536 bytes",
            Optional.of(m.largestBucket() < 65_536)))
        .orElse(notMeasured("largest bucket, serialized", "< 65 536 bytes")));
    return rows;
  }

  private static Row compareThroughput(String path, Optional<BenchRun> ours, Optional<BenchRun> base,
      double goal, String goalText) {
    if (ours.isEmpty() || base.isEmpty() || ours.get().ok() == 0 || base.get().ok() == 0) {
      return notMeasured(path, goalText);
    }
    BenchRun o = ours.get();
    BenchRun b = base.get();
    double r = o.throughput() / b.throughput();
    return new Row(path, benchCell(o), benchCell(b), ratio(r), goalText,
        Optional.of(r >= goal && o.errors() == 0));
  }

  /** Throughput, latency, errors, and the CPU the servers used per operation (when measured). */
  static String benchCell(BenchRun r) {
    String cpu = Double.isNaN(r.serverCpuSeconds()) || r.ok() == 0 ? ""
        : "; CPU " + ms(1000 * r.serverCpuSeconds() / r.ok()) + "/op";
    return String.format(Locale.ROOT, "%s ops/s (p50 %s, p99 %s%s%s)", Report.rate(r.throughput()),
        ms(r.p50()), ms(r.p99()), r.errors() > 0 ? "; " + r.errors() + " errors" : "", cpu);
  }

  private static final String NOT_MEASURED = "not measured";

  private static Row notMeasured(String path, String goal) {
    return new Row(path, NOT_MEASURED, "-", "-", goal, Optional.empty());
  }

  /** True for a row whose phase failed or did not run. */
  public static boolean notMeasured(Row row) {
    return NOT_MEASURED.equals(row.ours());
  }

  // ---- parsing ----

  private static final Pattern PUBLISH_OURS =
      Pattern.compile("(?m)^ours: batched rows[^\\n]*?\\s+\\d+\\s+\\S+\\s+\\S+\\s+([\\d,]+)\\s*$");
  private static final Pattern PUBLISH_RAW_LOCAL =
      Pattern.compile("(?m)^raw: PNCounterMap[^\\n]*WriteLocal\\s+\\d+\\s+\\S+\\s+\\S+\\s+([\\d,]+)\\s*$");
  private static final Pattern PUBLISH_RAW_MAJORITY =
      Pattern.compile("(?m)^raw: PNCounterMap[^\\n]*WriteMajority\\s+\\d+\\s+\\S+\\s+\\S+\\s+([\\d,]+)\\s*$");

  /** The items/s of PublishBenchmark's table rows (NaN for a row that is missing or FAILED). */
  public static Publish parsePublish(String text) {
    return new Publish(number(PUBLISH_OURS, text), number(PUBLISH_RAW_LOCAL, text),
        number(PUBLISH_RAW_MAJORITY, text));
  }

  private static final Pattern MEMORY_HEAD =
      Pattern.compile("REPLICA MEMORY \\S+ ([\\d,]+) accounts x (\\d+) writers");
  private static final Pattern MEMORY_GRAPH =
      Pattern.compile("retained by the buckets \\(object graph\\):\\s+[\\d,]+ bytes = ([\\d.]+) bytes/account");
  private static final Pattern MEMORY_LARGEST = Pattern.compile("largest bucket ([\\d,]+) bytes");

  public static Optional<Memory> parseMemory(String text) {
    Matcher head = MEMORY_HEAD.matcher(text);
    Matcher graph = MEMORY_GRAPH.matcher(text);
    Matcher largest = MEMORY_LARGEST.matcher(text);
    if (!head.find() || !graph.find() || !largest.find()) {
      return Optional.empty();
    }
    return Optional.of(new Memory(Long.parseLong(head.group(1).replace(",", "")),
        Integer.parseInt(head.group(2)), Double.parseDouble(graph.group(1)),
        Long.parseLong(largest.group(1).replace(",", ""))));
  }

  /** One operation's figures from {@code loyalty bench --json}. */
  public static Optional<BenchRun> parseBench(String json, String operation) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode op = root.path("operations").path(operation);
      if (op.isMissingNode()) {
        return Optional.empty();
      }
      JsonNode latency = op.path("latencyMs");
      return Optional.of(new BenchRun(op.path("throughput").asDouble(), latency.path("p50").asDouble(),
          latency.path("p99").asDouble(), latency.path("max").asDouble(), op.path("ok").asLong(),
          op.path("errors").asLong(), Double.NaN));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static Optional<Lag> parseLag(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode lag = root.path("convergenceLag");
      if (lag.isMissingNode()) {
        return Optional.empty();
      }
      long failed = 0;
      for (JsonNode n : lag.path("failed")) {
        failed += n.asLong();
      }
      JsonNode ms = lag.path("lagMs");
      return Optional.of(new Lag(lag.path("probes").asLong(), lag.path("converged").asLong(),
          lag.path("notConverged").asLong(), failed, lag.path("skipped").asLong(),
          ms.path("p50").asDouble(), ms.path("p99").asDouble(), ms.path("max").asDouble(),
          lag.path("nodes").asInt(), root.path("targetRate").asDouble(0),
          root.path("total").path("throughput").asDouble(0)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code name.json}, with the servers' CPU seconds from {@code name.cpu} when there is one. */
  private static Optional<BenchRun> bench(Path dir, String name, String operation) {
    Optional<BenchRun> run = read(dir.resolve(name + ".json")).flatMap(text -> parseBench(text, operation));
    double cpu = read(dir.resolve(name + ".cpu")).map(CompareReport::parseCpu).orElse(Double.NaN);
    return run.map(r -> r.withServerCpu(cpu));
  }

  private static final Pattern CPU = Pattern.compile("(?m)^server_cpu_seconds=([\\d.]+)");

  /** The servers' CPU seconds of a measured run (compare.sh's {@code name.cpu}); NaN if absent. */
  public static double parseCpu(String text) {
    return number(CPU, text);
  }

  private static Optional<String> read(Path file) {
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static double number(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? Double.parseDouble(m.group(1).replace(",", "")) : Double.NaN;
  }

  // ---- output ----

  static String ratio(double r) {
    return String.format(Locale.ROOT, r >= 10 ? "%.1fx" : "%.2fx", r);
  }

  static String rate(double r, String unit) {
    return String.format(Locale.ROOT, "%,.0f %s", r, unit);
  }

  static String ms(double millis) {
    return millis >= 100 ? String.format(Locale.ROOT, "%.0f ms", millis)
        : millis >= 1 ? String.format(Locale.ROOT, "%.1f ms", millis)
        : String.format(Locale.ROOT, "%.2f ms", millis);
  }

  public static void print(PrintStream out, List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"PATH", "OURS", "BASELINE (same run)", "RATIO", "GOAL", "MET?"});
    rows.forEach(r -> cells.add(new String[] {r.path(), r.ours(), r.baseline(), r.ratio(), r.goal(), r.verdict()}));
    int[] widths = new int[6];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == 0 ? "" : "  ").append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  public static String markdown(List<Row> rows) {
    StringBuilder md = new StringBuilder("| path | ours | baseline (same run) | ratio | goal | met? |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append("| ").append(String.join(" | ", r.path().strip(), r.ours(), r.baseline(), r.ratio(),
          r.goal(), r.verdict())).append(" |\n");
    }
    return md.toString();
  }

  /** Number formats shared with the rows. */
  static final class Report {
    static String rate(double r) {
      return String.format(Locale.ROOT, r == Math.rint(r) ? "%.0f" : "%.1f", r);
    }
  }
}
