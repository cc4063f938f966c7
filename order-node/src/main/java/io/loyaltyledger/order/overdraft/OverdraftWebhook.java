package io.loyaltyledger.order.overdraft;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One POST of a notice to the configured URL; any 2xx answer counts as delivered. */
final class OverdraftWebhook {

  /** Why an attempt failed, for the log. */
  record Outcome(boolean delivered, String failure) {}

  private final URI url;
  private final Duration timeout;
  private final HttpClient http;

  OverdraftWebhook(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  Outcome post(String eventId, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", eventId)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status / 100 == 2 ? new Outcome(true, null) : new Outcome(false, "HTTP " + status);
    } catch (IOException e) {
      return new Outcome(false, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted");
    }
  }
}
