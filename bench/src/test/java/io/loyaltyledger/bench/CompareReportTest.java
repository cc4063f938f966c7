package io.loyaltyledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsing and the table of compare.sh's report, on outputs shaped like the real ones. */
class CompareReportTest {

  static final String PUBLISH = """
      phase                                                    items  acked (s)  all 3 (s)      items/s
      ours: batched rows, distinct accounts, WriteMajority    200000       3.81       4.07       49,108
      raw: PNCounterMap, 1 increment/Update, WriteLocal        20000       5.25       9.56        2,093
        (visible on node 1/2/3 at 9.1/9.3/9.56 s; 12 polls, 40,000 bucket reads, 0 failed)
      raw: PNCounterMap, 1 increment/Update, WriteMajority     20000      8.35*      8.53        2,344
      ratio ours / raw WriteLocal:      23.5 x
      """;

  static final String MEMORY = """
      REPLICA MEMORY — 1,000,000 accounts x 3 writers in 4,096 buckets (built in 12.0 s)
        retained by the buckets (object graph): 176,246,976 bytes = 176.2 bytes/account
        heap used after GC, cross-check:        177,757,456 bytes = 177.8 bytes/account
        serialized: 37,172,562 bytes in all (37.2 bytes/account); largest bucket 9,838 bytes (263 accounts, limit 65,536)
      """;

  static String bench(String op, double throughput, long errors) {
    return """
        {"settings":{"run":"x"},"elapsedSeconds":30.0,"targetRate":200.0,
         "operations":{"%s":{"ok":9000,"errors":%d,"throughput":%s,
           "latencyMs":{"p50":1.5,"p99":12.25,"p99.9":20.0,"max":31.0}}},
         "total":{"throughput":%s},"errors":[],
         "convergenceLag":{"sampling":"1 in 10","nodes":5,"boundSeconds":10.0,"probes":600,
           "converged":598,"notConverged":2,"failed":{"x":1},"skipped":3,
           "lagMs":{"p50":210.5,"p99":640.0,"max":900.0}}}
        """.formatted(op, errors, throughput, throughput);
  }

  @Test
  void parsesThePublishTable() {
    CompareReport.Publish p = CompareReport.parsePublish(PUBLISH);
    assertThat(p.ours()).isEqualTo(49108);
    assertThat(p.rawLocal()).isEqualTo(2093);
    assertThat(p.rawMajority()).isEqualTo(2344);
    assertThat(CompareReport.parsePublish("ours: batched rows, x, WriteMajority 200000 - FAILED -").ours()).isNaN();
  }

  @Test
  void parsesMemoryBenchAndLag() {
    CompareReport.Memory m = CompareReport.parseMemory(MEMORY).orElseThrow();
    assertThat(m.accounts()).isEqualTo(1_000_000);
    assertThat(m.writers()).isEqualTo(3);
    assertThat(m.bytesPerAccount()).isEqualTo(176.2);
    assertThat(m.largestBucket()).isEqualTo(9838);

    CompareReport.BenchRun run = CompareReport.parseBench(bench("orders", 300.5, 0), "orders").orElseThrow();
    assertThat(run.throughput()).isEqualTo(300.5);
    assertThat(run.p99()).isEqualTo(12.25);
    assertThat(CompareReport.parseBench(bench("orders", 1, 0), "reads")).isEmpty();

    CompareReport.Lag lag = CompareReport.parseLag(bench("orders", 1, 0)).orElseThrow();
    assertThat(lag.p99()).isEqualTo(640.0);
    assertThat(lag.nodes()).isEqualTo(5);
    assertThat(lag.notConverged()).isEqualTo(2);
    assertThat(lag.failed()).isEqualTo(1);
    assertThat(lag.targetRate()).isEqualTo(200.0);
    assertThat(lag.keptUp()).isFalse(); // 1 of 200 writes/s
    assertThat(CompareReport.parseLag(bench("orders", 190, 0)).orElseThrow().keptUp()).isTrue();
  }

  @Test
  void tableJudgesEachGoalAndSaysWhatWasNotMeasured(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("publish.txt"), PUBLISH);
    Files.writeString(dir.resolve("memory.txt"), MEMORY);
    Files.writeString(dir.resolve("intake-ours.json"), bench("orders", 450, 0));
    Files.writeString(dir.resolve("intake-baseline.json"), bench("orders", 500, 0));
    Files.writeString(dir.resolve("intake-ours.cpu"), "server_cpu_seconds=13.50\nload_before=1.0 1.0 1.0\n");
    Files.writeString(dir.resolve("reads-ours.json"), bench("reads", 800, 0));
    Files.writeString(dir.resolve("reads-baseline.json"), bench("reads", 1000, 0));
    // no lag.json

    List<CompareReport.Row> rows = CompareReport.rows(dir);
    assertThat(rows).extracting(CompareReport.Row::verdict)
        .containsExactly("MET", "-", "NOT MET", "NOT MET", "MET", "-", "MET", "MET");
    assertThat(rows).filteredOn(CompareReport::notMeasured).extracting(CompareReport.Row::path)
        .containsExactly("convergence lag p99, 5 nodes");
    assertThat(rows.get(0).ratio()).isEqualTo("23.5x");
    assertThat(rows.get(3).ratio()).isEqualTo("0.90x");
    assertThat(rows.get(5).ours()).isEqualTo("not measured");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CompareReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), rows);
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertThat(table).startsWith("PATH")
        .contains("450 ops/s (p50 1.5 ms, p99 12.3 ms; CPU 1.5 ms/op)") // 13.5 s / 9000 ok
        .contains("500 ops/s (p50 1.5 ms, p99 12.3 ms)");
    assertThat(CompareReport.markdown(rows)).contains("| 0.80x | >= 0.70x | MET |");
  }
}
