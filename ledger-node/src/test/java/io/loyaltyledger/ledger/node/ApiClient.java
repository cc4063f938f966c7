package io.loyaltyledger.ledger.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain HTTP client of a node's API, over a real socket. It sends the test nodes' write token
 * ({@link TestTokens#WRITE}) unless made with another one, or none ({@link #withToken}).
 */
public final class ApiClient {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String base;
  private final Duration timeout;
  private final String token;

  public ApiClient(int port) {
    this(port, Duration.ofSeconds(30));
  }

  /** A client whose requests give up after {@code timeout} (an outcome then unknown). */
  public ApiClient(int port, Duration timeout) {
    this(port, timeout, TestTokens.WRITE);
  }

  private ApiClient(int port, Duration timeout, String token) {
    this.port = port;
    this.base = "http://127.0.0.1:" + port;
    this.timeout = timeout;
    this.token = token;
  }

  /** The same node with another bearer token; {@code null}: no Authorization header at all. */
  public ApiClient withToken(String bearerToken) {
    return new ApiClient(port, timeout, bearerToken);
  }

  public record Answer(int status, String body, boolean replayed, HttpHeaders headers) {
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

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
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
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Idempotent-Replayed").isPresent(),
          response.headers());
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
