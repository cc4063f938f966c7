package io.loyaltyledger.ledger.jepsen;

import io.loyaltyledger.ledger.node.ApiClient.Answer;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.function.Supplier;

/** How a test client records the end of one request in a {@link History}. */
public final class Outcomes {

  private Outcomes() {}

  /**
   * Sends {@code request} and completes {@code op}: {@code success} is ok; another 4xx, or a
   * connection refused before anything was sent, failed; a 5xx or a connection lost after sending,
   * unknown. A client that did not succeed backs off a little, as a real one would. Returns
   * whether the operation took effect.
   */
  public static boolean record(History.Op op, Supplier<Answer> request, int success) {
    try {
      Answer answer = request.get();
      if (answer.status() == success) {
        op.ok();
        return true;
      } else if (answer.status() >= 400 && answer.status() < 500) {
        op.failed(answer.status() + " " + answer.error());
      } else {
        op.unknown(answer.status() + " " + answer.body());
      }
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof ConnectException) {
        op.failed("connection refused"); // never sent: nothing applied
      } else {
        op.unknown(e.toString());
      }
    } catch (IllegalStateException e) {
      op.unknown(e.toString());
    }
    Nemesis.hold(Duration.ofMillis(50));
    return false;
  }
}
