package io.loyaltyledger.order.overdraft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP endpoint on a free local port that records every webhook call it gets. */
final class WebhookReceiver implements AutoCloseable {

  record Call(String idempotencyKey, JsonNode body, int answeredWith) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  /** The next this many calls are answered 503. */
  private final AtomicInteger failuresToGo = new AtomicInteger();

  WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/overdrafts",
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status = failuresToGo.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
          calls.add(
              new Call(
                  exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                  MAPPER.readTree(body),
                  status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/overdrafts";
  }

  void failNext(int calls) {
    failuresToGo.set(calls);
  }

  List<Call> callsFor(String accountId) {
    return calls.stream().filter(c -> accountId.equals(c.body().path("accountId").asText())).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
