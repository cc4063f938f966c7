package io.loyaltyledger.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Sends one write with one idempotency key until it has a final answer.
 *
 * <p>A node's idempotency records live in its own database, so once an attempt may have reached a
 * node (timeout, reset, a 5xx) the write stays with that node — and nodes known to share its
 * idempotency scope — retrying with backoff until the deadline, then gives up with {@link
 * OutcomeUnknownException}. Before that, a candidate that refused the connection or answered
 * {@code 503 not_ready} provably stored nothing, so the next candidate is tried (likewise a
 * redemption's {@code 503 transfer_unavailable} and {@code account_busy}).
 */
final class WriteRetrier {

  /** 503 answers after which the node provably stored nothing: other nodes may take the write. */
  private static final Set<String> STORED_NOTHING =
      Set.of("not_ready", "transfer_unavailable", "account_busy");

  private final HttpTransport transport;
  private final NodeDirectory directory;
  private final ClientSettings settings;

  WriteRetrier(HttpTransport transport, NodeDirectory directory, ClientSettings settings) {
    this.transport = transport;
    this.directory = directory;
    this.settings = settings;
  }

  <T> Written<T> write(
      List<NodeEndpoint> candidates, String path, String key, String body, Class<T> type) {
    long deadline = System.nanoTime() + settings.writeDeadline().toNanos();
    Duration backoff = settings.initialBackoff();
    List<String> failures = new ArrayList<>();
    NodeEndpoint touched = null; // the node that may hold an earlier attempt
    List<NodeEndpoint> retryNodes = List.of();
    int next = 0;
    boolean someNotReady = false;
    while (true) {
      NodeEndpoint node;
      if (touched != null) {
        node = retryNodes.get(next++ % retryNodes.size());
      } else if (next < candidates.size()) {
        node = candidates.get(next++);
      } else if (someNotReady) {
        // Every candidate is starting up or away: nothing is stored anywhere; try them again.
        next = 0;
        someNotReady = false;
        backoff = pause(backoff, deadline, null, key, failures);
        continue;
      } else {
        throw new NoNodeAvailableException(
            "no node took the write (nothing was applied): " + String.join("; ", failures));
      }
      try {
        HttpTransport.Reply reply = transport.post(node, path, key, body);
        if (reply.ok()) {
          return new Written<>(Json.read(reply, type, node), node, key, reply.replayed());
        }
        LoyaltyException error = Json.error(reply, node);
        if (reply.status() == 503 && STORED_NOTHING.contains(error.errorCode())) {
          failures.add(node + ": 503 " + error.errorCode());
          someNotReady = true;
        } else if (reply.status() >= 500) {
          failures.add(node + ": " + reply.status() + " " + error.errorCode());
          if (touched == null) {
            touched = node;
            retryNodes = retryNodesFor(node);
            next = 0;
          }
        } else {
          throw error;
        }
      } catch (HttpTransport.NodeFailure e) {
        failures.add(e.getMessage());
        if (!e.neverReached() && touched == null) {
          touched = node;
          retryNodes = retryNodesFor(node);
          next = 0;
        }
      }
      if (touched != null) {
        backoff = pause(backoff, deadline, touched, key, failures);
      }
    }
  }

  private List<NodeEndpoint> retryNodesFor(NodeEndpoint node) {
    List<NodeEndpoint> nodes = new ArrayList<>();
    nodes.add(node);
    nodes.addAll(directory.sameScopeAs(node));
    return nodes;
  }

  /** Sleeps one backoff step, or gives up when the deadline would pass. Returns the next step. */
  private Duration pause(
      Duration backoff, long deadline, NodeEndpoint touched, String key, List<String> failures) {
    if (System.nanoTime() + backoff.toNanos() > deadline) {
      String last = failures.isEmpty() ? "" : failures.get(failures.size() - 1);
      if (touched != null) {
        throw new OutcomeUnknownException(
            key,
            touched,
            "no answer from " + touched + " before the deadline (last: " + last
                + "); the write may or may not have been applied; retry with idempotency key "
                + key);
      }
      throw new NoNodeAvailableException(
          "no node took the write before the deadline (nothing was applied): " + last);
    }
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw touched != null
          ? new OutcomeUnknownException(key, touched, "interrupted; retry with idempotency key " + key)
          : new NoNodeAvailableException("interrupted; nothing was applied");
    }
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
  }
}
