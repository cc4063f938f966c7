package io.loyaltyledger.ledger.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client of a node's API, over a real socket. */
public final class ApiClient {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final Duration timeout;

  public ApiClient(int port) {
    this(port, Duration.ofSeconds(30));
  }

  /** A client whose requests give up after {@code timeout} (an outcome then unknown). */
  public ApiClient(int port, Duration timeout) {
    this.base = "http://127.0.0.1:" + port;
    this.timeout = timeout;
  }

  public record Answer(int status, String body, boolean replayed) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    public String error() {
      return json().path("error").asText();
    }
  }

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Answer adjust(String account, String key, long points, String reason) {
    return post(
        "/v1/accounts/" + account + "/adjustments",
        key,
        "{\"points\":" + points + ",\"reason\":\"" + reason + "\"}");
  }

  public Answer post(String path, String idempotencyKey, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request);
  }

  public Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Idempotent-Replayed").isPresent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public long balance(String account) {
    Answer answer = get("/v1/accounts/" + account);
    if (answer.status() != 200) {
      throw new IllegalStateException("balance read failed: " + answer);
    }
    return answer.json().get("balance").asLong();
  }
}
