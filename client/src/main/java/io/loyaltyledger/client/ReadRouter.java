package io.loyaltyledger.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a read to the node that answered last, and on to the next one when a node does not answer
 * or answers 5xx. {@code 504 not_yet_visible} is an answer (the token's write has not reached that
 * node in time), as is every 4xx: those are thrown at once.
 */
final class ReadRouter {

  private final List<NodeEndpoint> nodes;
  private final HttpTransport transport;
  private final AtomicInteger preferred = new AtomicInteger();

  ReadRouter(List<NodeEndpoint> nodes, HttpTransport transport) {
    this.nodes = nodes;
    this.transport = transport;
  }

  <T> T read(String path, Class<T> type) {
    return read(path, type, java.time.Duration.ZERO);
  }

  /** A read that may wait up to {@code wait} on the node before it answers. */
  <T> T read(String path, Class<T> type, java.time.Duration wait) {
    List<String> failures = new ArrayList<>();
    LoyaltyException lastServerError = null;
    int start = preferred.get();
    for (int n = 0; n < nodes.size(); n++) {
      int index = (start + n) % nodes.size();
      NodeEndpoint node = nodes.get(index);
      HttpTransport.Reply reply;
      try {
        reply = transport.getWaiting(node, path, wait);
      } catch (HttpTransport.NodeFailure e) {
        failures.add(e.getMessage());
        continue;
      }
      if (reply.ok()) {
        preferred.set(index);
        return Json.read(reply, type, node);
      }
      LoyaltyException error = Json.error(reply, node);
      if (reply.status() >= 500 && !"not_yet_visible".equals(error.errorCode())) {
        failures.add(node + ": " + reply.status() + " " + error.errorCode());
        lastServerError = error;
        continue;
      }
      throw error;
    }
    if (lastServerError != null) {
      throw lastServerError;
    }
    throw new NoNodeAvailableException("no node answered: " + String.join("; ", failures));
  }
}
