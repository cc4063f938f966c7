package io.loyaltyledger.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static Report.Result sample() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("run", "20 s, open loop at 200 ops/s, concurrency 64");
    settings.put("nodes", "3 ledger, 2 order");
    return new Report.Result(
        settings,
        20_000_000_000L,
        200,
        List.of(
            new Report.OperationRow("orders", 2_400, 0, new Percentiles(2_400, 3_150, 12_400, 48_700, 250_300)),
            new Report.OperationRow("redemptions", 390, 10, new Percentiles(390, 8_000, 95_000, 120_000, 120_000))),
        new Report.OperationRow("all", 2_790, 10, new Percentiles(2_790, 3_500, 20_000, 60_000, 250_300)),
        List.of(new Report.ErrorRow("insufficient_points", 409, "redemptions", 10, "not enough")),
        Map.of("cancellations", 4L),
        new Report.Lag("1 in 20", 5, Duration.ofSeconds(10), 140, 1, Map.of("no_node_available", 1L), 2,
            new Percentiles(138, 210_000, 480_000, 480_000, 512_000)));
  }

  private static String text(Report.Result r) {
    StringWriter out = new StringWriter();
    Report.text(new PrintWriter(out), r);
    return out.toString();
  }

  @Test
  void theTableShowsEachOperationsThroughputAndPercentilesInMilliseconds() {
    String text = text(sample());
    assertThat(text).contains("run    20 s, open loop at 200 ops/s, concurrency 64");
    List<String> lines = text.lines().toList();
    assertThat(lines).contains(
        "OPERATION      OK  ERRORS  OPS/S  P50 MS  P99 MS  P99.9 MS  MAX MS",
        "orders       2400       0  120.0    3.15    12.4      48.7     250",
        "redemptions   390      10   19.5    8.00    95.0       120     120",
        "all          2790      10  139.5    3.50    20.0      60.0     250");
    assertThat(text).contains("elapsed 20.0 s, 2800 operations answered, 2790 ok: 139.5 ops/s (target 200 ops/s)");
    assertThat(text).contains("from each operation's intended start (open loop");
    assertThat(text).contains("cancellations that ran as orders: 4 (no order of this run was left to cancel)");
  }

  @Test
  void errorsByCodeAndConvergenceLag() {
    List<String> lines = text(sample()).lines().toList();
    assertThat(lines).contains(
        "ERROR                STATUS  OPERATION    COUNT",
        "insufficient_points  409     redemptions     10",
        "CONVERGENCE LAG  from an acknowledged write until every node (5) shows it; sampled: 1 in 20",
        "PROBES  CONVERGED  NOT WITHIN 10s  FAILED  SKIPPED  P50 MS  P99 MS  MAX MS",
        "   140        138               1       1        2     210     480     512",
        "failed probes by error: {no_node_available=1}");
  }

  @Test
  void nothingMeasuredShowsDashesAndNoErrorsSaysNone() {
    Report.Result empty = new Report.Result(Map.of("run", "x"), 1_000_000_000L, 0,
        List.of(), new Report.OperationRow("all", 0, 0, Percentiles.EMPTY), List.of(), Map.of(),
        new Report.Lag("none", 2, Duration.ofSeconds(10), 0, 0, Map.of(), 0, Percentiles.EMPTY));
    String text = text(empty);
    assertThat(text.lines().toList()).contains("all         0       0    0.0       -       -         -       -");
    assertThat(text).contains("ERRORS  none", "no write was sampled", "from each operation's start (closed loop)");
    assertThat(text).doesNotContain("target");
  }

  @Test
  void jsonHasTheSameFigures() {
    Map<String, Object> json = Report.json(sample());
    assertThat(json).containsEntry("elapsedSeconds", 20.0).containsEntry("targetRate", 200.0);
    @SuppressWarnings("unchecked")
    Map<String, Object> orders = (Map<String, Object>) ((Map<String, Object>) json.get("operations")).get("orders");
    assertThat(orders).containsEntry("ok", 2_400L).containsEntry("errors", 0L).containsEntry("throughput", 120.0);
    assertThat(orders.get("latencyMs")).isEqualTo(Map.of("p50", 3.15, "p99", 12.4, "p99.9", 48.7, "max", 250.3));
    @SuppressWarnings("unchecked")
    Map<String, Object> lag = (Map<String, Object>) json.get("convergenceLag");
    assertThat(lag).containsEntry("probes", 140L).containsEntry("converged", 138L).containsEntry("notConverged", 1L)
        .containsEntry("skipped", 2L).containsEntry("boundSeconds", 10.0);
    assertThat(lag.get("lagMs")).isEqualTo(Map.of("p50", 210.0, "p99", 480.0, "max", 512.0));
    assertThat(json.get("errors").toString()).contains("error=insufficient_points", "status=409", "operation=redemptions", "count=10");
  }

  @Test
  void theRecorderSummarisesHistogramsWithinTheirPrecision() {
    Recorder recorder = new Recorder();
    for (int ms = 1; ms <= 1_000; ms++) {
      recorder.ok(Operation.ORDERS, ms * 1_000_000L);
    }
    recorder.ok(Operation.READS, 2_000_000L);
    recorder.error(Operation.REDEMPTIONS, "insufficient_points", 409, "no");
    recorder.error(Operation.REDEMPTIONS, "insufficient_points", 409, "no");
    recorder.error(Operation.ORDERS, "outcome_unknown", 0, "lost");
    recorder.substituted(Operation.CANCELLATIONS);
    recorder.lagStarted();
    recorder.lag(300_000_000L);
    recorder.lagStarted();
    recorder.lagNotConverged();
    assertThat(recorder.done()).isEqualTo(1_004);
    assertThat(recorder.errors()).isEqualTo(3);

    Report.Result r = recorder.result(Map.of(), 10_000_000_000L, Pacing.flatOut(), LagSampler.parse("1"),
        Duration.ofSeconds(10), 3);
    Report.OperationRow orders = r.operations().get(0);
    assertThat(orders.operation()).isEqualTo("orders");
    assertThat(orders.ok()).isEqualTo(1_000);
    assertThat(orders.errors()).isEqualTo(1);
    assertThat(orders.latency().p50()).isCloseTo(500_000, within(500L));
    assertThat(orders.latency().p99()).isCloseTo(990_000, within(1_000L));
    assertThat(orders.latency().p999()).isCloseTo(999_000, within(1_000L));
    assertThat(orders.latency().max()).isCloseTo(1_000_000, within(1_000L));
    assertThat(r.operations()).extracting(Report.OperationRow::operation).containsExactly("orders", "redemptions", "reads");
    assertThat(r.total().ok()).isEqualTo(1_001);
    assertThat(r.total().errors()).isEqualTo(3);
    assertThat(r.throughput(r.total())).isCloseTo(100.1, within(1e-9));
    assertThat(r.errors()).extracting(Report.ErrorRow::code).containsExactly("insufficient_points", "outcome_unknown");
    assertThat(r.substituted()).containsEntry("cancellations", 1L);
    assertThat(r.lag().started()).isEqualTo(2);
    assertThat(r.lag().lag().count()).isEqualTo(1);
    assertThat(r.lag().notConverged()).isEqualTo(1);
    assertThat(r.lag().nodes()).isEqualTo(3);
  }

  @Test
  void progressLine() {
    assertThat(ProgressLine.render(0.5, 10_000_000_000L, 4_210, 501.4, 3, false, 0))
        .isEqualTo("[############............]  50%  10.0 s  4210 ops  501 ops/s  errors 3");
    assertThat(ProgressLine.render(1.2, 20_000_000_000L, 9_000, 0, 0, true, 2))
        .isEqualTo("[########################] 100%  20.0 s  9000 ops  waiting for 2 lag probes  errors 0");
  }
}
