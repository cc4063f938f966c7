package io.loyaltyledger.ledger.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.loyaltyledger.ledger.metrics.NodeMetrics;
import io.loyaltyledger.ledger.metrics.RouteLabel;
import java.util.function.Supplier;

/** Counts and times every answer by route template, and serves {@code GET /metrics}. */
public final class HttpMetrics extends AllDirectives {

  private static final ContentType.NonBinary PROMETHEUS_TEXT =
      MediaTypes.TEXT_PLAIN.toContentType(HttpCharsets.UTF_8);

  private final NodeMetrics metrics;

  public HttpMetrics(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code inner} with every answer it gives recorded. */
  public Route measure(Supplier<Route> inner) {
    return extractRequest(request -> {
      long started = System.nanoTime();
      String route = RouteLabel.of(request.getUri().path());
      String method = request.method().name();
      return mapResponse(response -> {
        metrics.httpRequest(route, method, response.status().intValue(), System.nanoTime() - started);
        return response;
      }, inner);
    });
  }

  /** The Prometheus text format, read fresh on every scrape. */
  public Route route() {
    return path("metrics", () -> get(() ->
        complete(HttpResponse.create().withEntity(PROMETHEUS_TEXT, metrics.scrape()))));
  }
}
