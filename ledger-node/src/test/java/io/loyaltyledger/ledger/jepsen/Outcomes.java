package io.loyaltyledger.ledger.jepsen;

import io.loyaltyledger.ledger.node.ApiClient.Answer;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/** How a test client records the end of one request in a {@link History}. */
public final class Outcomes {

  /**
   * The {@code 503} answers the API documents as "nothing was written": the node was not ready
   * (checked before the command runs), a redemption's rights transfer found no donor in time, or
   * too many redemptions of one account queued on the node. Each is thrown before or inside the
   * command's transaction, which then rolls back.
   */
  public static final Set<String> NOTHING_WRITTEN =
      Set.of("not_ready", "transfer_unavailable", "account_busy");

  private Outcomes() {}

  /**
   * Sends {@code request} and completes {@code op}: {@code success} is ok; another 4xx, a {@code
   * 503} whose error is one of {@link #NOTHING_WRITTEN}, or a connection refused before anything
   * was sent, failed; another 5xx or a connection lost after sending, unknown. A client that did
   * not succeed backs off a little, as a real one would. Returns whether the operation took
   * effect.
   */
  public static boolean record(History.Op op, Supplier<Answer> request, int success) {
    return record(op, request, success, false);
  }

  /**
   * As {@link #record(History.Op, Supplier, int)}, for an operation whose first outcome was
   * unknown, sent again with the same Idempotency-Key: the answer resolves it ({@link
   * History.Op#resolve}), or leaves it unknown.
   */
  public static boolean retry(History.Op op, Supplier<Answer> request, int success) {
    return record(op, request, success, true);
  }

  private static boolean record(History.Op op, Supplier<Answer> request, int success,
      boolean retry) {
    Outcome outcome = send(request, success);
    if (retry) {
      op.resolve(outcome.outcome(), outcome.detail());
    } else {
      op.complete(outcome.outcome(), outcome.detail());
    }
    if (outcome.outcome() == History.Outcome.OK) {
      return true;
    }
    Nemesis.hold(Duration.ofMillis(50));
    return false;
  }

  private record Outcome(History.Outcome outcome, String detail) {}

  private static Outcome send(Supplier<Answer> request, int success) {
    try {
      Answer answer = request.get();
      if (answer.status() == success) {
        return new Outcome(History.Outcome.OK, answer.replayed() ? "replayed" : "");
      } else if (answer.status() >= 400 && answer.status() < 500) {
        return new Outcome(History.Outcome.FAILED, answer.status() + " " + answer.error());
      } else if (answer.status() == 503 && NOTHING_WRITTEN.contains(errorOf(answer))) {
        return new Outcome(History.Outcome.FAILED, answer.status() + " " + answer.error());
      } else {
        return new Outcome(History.Outcome.UNKNOWN, answer.status() + " " + answer.body());
      }
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof ConnectException) {
        return new Outcome(History.Outcome.FAILED, "connection refused"); // never sent
      }
      return new Outcome(History.Outcome.UNKNOWN, e.toString());
    } catch (IllegalStateException e) {
      return new Outcome(History.Outcome.UNKNOWN, e.toString());
    }
  }

  /** The error code of an answer, or "" when its body is not a JSON error. */
  private static String errorOf(Answer answer) {
    try {
      return answer.error();
    } catch (UncheckedIOException e) {
      return "";
    }
  }
}
