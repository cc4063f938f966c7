package io.loyaltyledger.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyaltyledger.client.SharedRealNodes;
import io.loyaltyledger.client.SilentServer;
import io.loyaltyledger.ledger.node.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loyalty bench} in-process against a real ledger node and order node, with their write
 * token ({@code --token-file}).
 */
class BenchCommandTest {

  @TempDir static Path dir;
  @RegisterExtension static final SharedRealNodes nodes = new SharedRealNodes();
  static Path tokenFile;

  @BeforeAll
  static void writeTokenFile() throws IOException {
    tokenFile = Files.writeString(dir.resolve("token"), TestTokens.WRITE);
  }

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    String[] withToken = Arrays.copyOf(args, args.length + 2);
    withToken[args.length] = "--token-file";
    withToken[args.length + 1] = tokenFile.toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        LoyaltyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(withToken);
    return new Run(exit, out.toString(), err.toString());
  }

  static String both() {
    return nodes.ledgerUrl() + "," + nodes.orderUrl();
  }

  @Test
  void aCountedRunReportsEveryOperationItsThroughputAndTheConvergenceLag() throws Exception {
    // few accounts, so that redemptions soon find points; every write's lag is measured
    Run run = run("bench", "--nodes", both(), "--operations", "200", "--concurrency", "4",
        "--accounts", "20", "--lag-sample", "1", "--seed", "1", "--no-progress", "--json");
    System.out.println(run.out()); // the report, in the test's output file
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(run.out());

    JsonNode ops = report.get("operations");
    JsonNode total = report.get("total");
    assertThat(total.get("ok").asLong() + total.get("errors").asLong()).isEqualTo(200);
    assertThat(total.get("throughput").asDouble()).isPositive();
    for (String op : new String[] {"orders", "cancellations", "redemptions", "reads"}) {
      assertThat(ops.has(op)).as(op + " in " + ops).isTrue();
    }
    assertThat(ops.get("orders").get("ok").asLong()).isPositive();
    assertThat(ops.get("reads").get("ok").asLong()).isPositive();
    assertThat(ops.get("orders").get("throughput").asDouble()).isPositive();
    JsonNode latency = ops.get("orders").get("latencyMs");
    assertThat(latency.get("p50").asDouble()).isPositive();
    assertThat(latency.get("p99").asDouble()).isGreaterThanOrEqualTo(latency.get("p50").asDouble());
    assertThat(latency.get("p99.9").asDouble()).isGreaterThanOrEqualTo(latency.get("p99").asDouble());
    assertThat(latency.get("max").asDouble()).isGreaterThanOrEqualTo(latency.get("p99.9").asDouble());
    // an error is a node's code (a refused redemption, say), never a crash of the run
    for (JsonNode error : report.get("errors")) {
      assertThat(error.get("error").asText()).isNotBlank();
    }

    JsonNode lag = report.get("convergenceLag");
    assertThat(lag.get("nodes").asInt()).isEqualTo(2);
    assertThat(lag.get("converged").asLong()).isPositive();
    assertThat(lag.get("lagMs").get("max").asDouble())
        .isGreaterThanOrEqualTo(lag.get("lagMs").get("p50").asDouble());
    assertThat(report.get("settings").get("nodes").asText()).isEqualTo("1 ledger, 1 order");
  }

  @Test
  void aTimedRunAtARatePrintsTheTables() {
    Run run = run("bench", "--nodes", both(), "--duration", "2s", "--rate", "40", "--concurrency", "4",
        "--accounts", "20", "--lag-sample", "4", "--no-progress");
    System.out.println(run.out());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("run          2 s, open loop at 40 ops/s, concurrency 4")
        .containsPattern("(?m)^OPERATION\\s+OK\\s+ERRORS\\s+OPS/S\\s+P50 MS\\s+P99 MS\\s+P99.9 MS\\s+MAX MS$")
        .containsPattern("(?m)^orders\\s+[1-9]\\d*\\s+\\d+\\s+\\d+\\.\\d")
        .containsPattern("(?m)^all\\s+[1-9]\\d*\\s+")
        .contains("(target 40 ops/s)", "from each operation's intended start")
        .contains("CONVERGENCE LAG  from an acknowledged write until every node (2) shows it; sampled: 1 in 4");
    assertThat(run.err()).doesNotContain("[#"); // no progress when it is not a terminal
  }

  @Test
  void aWarmUpRunsFirstAndIsLeftOutOfTheReport() throws Exception {
    Run run = run("bench", "--nodes", both(), "--warmup", "2s", "--operations", "30", "--rate", "20",
        "--concurrency", "4", "--mix", "orders=1,reads=1", "--accounts", "20", "--lag-sample", "0",
        "--no-progress", "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    // the warm-up ran about 40 operations before the measured 30; only those 30 are reported
    assertThat(run.err()).contains("bench: warming up for 2 s", "bench: measuring");
    assertThat(run.err().indexOf("bench: measuring")).isGreaterThan(run.err().indexOf("warming up"));
    JsonNode report = new ObjectMapper().readTree(run.out());
    JsonNode total = report.get("total");
    assertThat(total.get("ok").asLong() + total.get("errors").asLong()).isEqualTo(30);
    assertThat(report.toString()).contains("2 s of the same load before the run, not in this report");
  }

  @Test
  void stoppedBySigtermItStillPrintsTheReportOfWhatRan() throws Exception {
    // a real process: the shutdown hook is what Ctrl-C (SIGINT) and SIGTERM run
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process bench = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        LoyaltyCli.class.getName(), "bench", "--nodes", both(), "--duration", "10m", "--rate", "20",
        "--concurrency", "2", "--mix", "orders=1,reads=1", "--progress",
        "--token-file", tokenFile.toString()).start();
    StringBuffer out = new StringBuffer();
    StringBuffer err = new StringBuffer();
    Thread outReader = collect(bench.getInputStream(), out);
    Thread errReader = collect(bench.getErrorStream(), err);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(90))
          .until(() -> err.toString().matches("(?s).*\\] +\\d+%.* [1-9]\\d* ops .*"));
      // SIGTERM, as kill sends it (Process.destroy would close the streams we read)
      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(bench.pid())).start();
      assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bench.waitFor(60, TimeUnit.SECONDS)).isTrue();
      outReader.join(10_000);
      System.out.println(out);
      assertThat(out.toString()).containsPattern("(?m)^orders\\s+[1-9]\\d*\\s+").contains("CONVERGENCE LAG");
    } finally {
      bench.destroyForcibly();
      outReader.join(10_000);
      errReader.join(10_000);
    }
  }

  /** Copies a stream into {@code into} on a thread of its own, until it ends. */
  private static Thread collect(InputStream stream, StringBuffer into) {
    Thread reader = new Thread(() -> {
      try (InputStream in = stream) {
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  @Test
  void noNodeAtTheStartExitsWith3() {
    Run none = run("bench", "--nodes", SilentServer.refusingUrl(), "--operations", "5");
    assertThat(none.exit()).isEqualTo(3);
    assertThat(none.err()).contains("no_node_available");
    // a mix that writes needs an order node
    Run ledgerOnly = run("bench", "--nodes", nodes.ledgerUrl(), "--operations", "5");
    assertThat(ledgerOnly.exit()).isEqualTo(3);
    assertThat(ledgerOnly.err()).contains("no order node answered");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("bench", "--mix", "orders=50,refunds=50").err()).contains("unknown operation 'refunds'");
    assertThat(run("bench", "--mix", "orders=50,refunds=50").exit()).isEqualTo(2);
    assertThat(run("bench", "--duration", "1s", "--operations", "3").exit()).isEqualTo(2);
    assertThat(run("bench", "--duration", "soon").exit()).isEqualTo(2);
    assertThat(run("bench", "--lag-sample", "2.5").exit()).isEqualTo(2);
    assertThat(run("bench", "--rate", "-3").exit()).isEqualTo(2);
    assertThat(run("bench", "--concurrency", "0").exit()).isEqualTo(2);
    assertThat(run("bench", "--warmup", "0s").exit()).isEqualTo(2);
    assertThat(run("bench", "--warmup", "later").exit()).isEqualTo(2);
    Run help = run("bench", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--rate", "--mix", "--lag-sample", "convergence lag");
  }
}
