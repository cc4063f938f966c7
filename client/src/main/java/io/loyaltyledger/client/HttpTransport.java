package io.loyaltyledger.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;

/**
 * One HTTP exchange with one node; tells a refused connection from an unknown outcome. Every
 * request carries the client's bearer token, when it has one.
 */
final class HttpTransport {

  record Reply(int status, String body, boolean replayed) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** No reply. {@code neverReached}: the connection was never made, so nothing was sent. */
  static final class NodeFailure extends Exception {
    private final boolean neverReached;

    NodeFailure(String message, boolean neverReached, Throwable cause) {
      super(message, cause);
      this.neverReached = neverReached;
    }

    boolean neverReached() {
      return neverReached;
    }
  }

  private final HttpClient http;
  private final ClientSettings settings;
  private final BearerToken token;

  HttpTransport(ClientSettings settings, BearerToken token) {
    this.settings = settings;
    this.token = token;
    // HTTP/1.1: no h2c upgrade dance with the nodes' server.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .build();
  }

  Reply get(NodeEndpoint node, String path) throws NodeFailure {
    return send(node, HttpRequest.newBuilder(node.resolve(path)).GET(), settings.requestTimeout());
  }

  /** A read that may wait on the node (a token's write): its timeout includes that wait. */
  Reply getWaiting(NodeEndpoint node, String path, java.time.Duration wait) throws NodeFailure {
    return send(
        node, HttpRequest.newBuilder(node.resolve(path)).GET(), settings.requestTimeout().plus(wait));
  }

  Reply post(NodeEndpoint node, String path, String idempotencyKey, String json)
      throws NodeFailure {
    return send(
        node,
        HttpRequest.newBuilder(node.resolve(path))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        settings.requestTimeout());
  }

  private Reply send(NodeEndpoint node, HttpRequest.Builder request, java.time.Duration timeout)
      throws NodeFailure {
    if (token != null) {
      request.header("Authorization", token.headerValue());
    }
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false));
    } catch (IOException | UnresolvedAddressException e) {
      boolean neverReached = neverReached(e);
      throw new NodeFailure(
          node + ": " + (neverReached ? "connection refused or not made" : describe(e)), neverReached, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeFailure(node + ": interrupted", false, e);
    }
  }

  /** True when the request provably never left this process: no connection was made. */
  private static boolean neverReached(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof HttpConnectTimeoutException
          || t instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }
}
