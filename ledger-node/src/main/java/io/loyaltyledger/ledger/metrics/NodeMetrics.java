package io.loyaltyledger.ledger.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The metrics of one node, in a registry of its own (several nodes may share a JVM in tests).
 * Components record into the instruments here; gauges that are cheaper to read than to keep up to
 * date are registered as callbacks by whoever owns the value ({@link #registry()}).
 */
public final class NodeMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter httpRequests;
  private final Histogram httpLatency;
  private final Histogram publishRows;
  private final Histogram publishLatency;
  private final Histogram tokenWait;

  public NodeMetrics() {
    JvmMetrics.builder().register(registry);
    httpRequests = Counter.builder()
        .name("loyalty_http_requests")
        .help("HTTP requests answered, by route template, method and status")
        .labelNames("route", "method", "status")
        .register(registry);
    httpLatency = Histogram.builder()
        .name("loyalty_http_request_duration_seconds")
        .help("Time to answer an HTTP request, by route template and method")
        .unit(Unit.SECONDS)
        .labelNames("route", "method")
        .classicOnly()
        .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
    publishRows = Histogram.builder()
        .name("loyalty_publish_round_rows")
        .help("Rows a publisher round sent (one Update per bucket)")
        .classicOnly()
        .classicUpperBounds(1, 10, 100, 1_000, 5_000, 10_000, 20_000, 50_000)
        .register(registry);
    publishLatency = Histogram.builder()
        .name("loyalty_publish_round_duration_seconds")
        .help("Time from reading a round's rows to their acknowledgement by a majority")
        .unit(Unit.SECONDS)
        .classicOnly()
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
    tokenWait = Histogram.builder()
        .name("loyalty_read_token_wait_seconds")
        .help("Convergence lag seen by reads with after=<token>: how long until the token was"
            + " visible in this replica")
        .unit(Unit.SECONDS)
        .classicOnly()
        .classicUpperBounds(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30)
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void httpRequest(String route, String method, int status, long nanos) {
    httpRequests.labelValues(route, method, Integer.toString(status)).inc();
    httpLatency.labelValues(route, method).observe(nanos / 1e9);
  }

  public void publishRound(int rows, long nanos) {
    publishRows.observe(rows);
    publishLatency.observe(nanos / 1e9);
  }

  public void tokenVisibleAfter(Duration waited) {
    tokenWait.observe(waited.toNanos() / 1e9);
  }

  /** The Prometheus text format (version 0.0.4) of every metric of this node. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
