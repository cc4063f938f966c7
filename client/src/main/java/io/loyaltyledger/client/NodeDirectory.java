package io.loyaltyledger.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What each node of the list is (role, idempotency scope), asked once per node and kept. */
final class NodeDirectory {

  private final List<NodeEndpoint> nodes;
  private final HttpTransport transport;
  private final Map<NodeEndpoint, NodeInfo> known = new ConcurrentHashMap<>();

  NodeDirectory(List<NodeEndpoint> nodes, HttpTransport transport) {
    this.nodes = nodes;
    this.transport = transport;
  }

  /**
   * The node's self-description, or empty when it does not answer.
   *
   * @throws LoyaltyException {@code unauthorized} or {@code forbidden}: the node answers, but not
   *     to this client's token — no other node will either, so say it rather than "no answer"
   */
  Optional<NodeInfo> info(NodeEndpoint node) {
    NodeInfo cached = known.get(node);
    if (cached != null) {
      return Optional.of(cached);
    }
    HttpTransport.Reply reply;
    try {
      reply = transport.get(node, "/v1/node");
    } catch (HttpTransport.NodeFailure e) {
      return Optional.empty();
    }
    if (reply.status() == 401 || reply.status() == 403) {
      throw Json.error(reply, node);
    }
    try {
      if (!reply.ok()) {
        return Optional.empty();
      }
      NodeInfo info = Json.read(reply, NodeInfo.class, node);
      known.put(node, info);
      return Optional.of(info);
    } catch (LoyaltyException e) {
      return Optional.empty();
    }
  }

  /** Only from what is already known: no request, so it works while the network is in trouble. */
  Optional<NodeInfo> knownInfo(NodeEndpoint node) {
    return Optional.ofNullable(known.get(node));
  }

  /** The order nodes that answer, sorted by name so that every client orders them alike. */
  List<NodeEndpoint> orderNodes() {
    List<NodeEndpoint> orderNodes = new ArrayList<>();
    for (NodeEndpoint node : nodes) {
      info(node).filter(NodeInfo::isOrderNode).ifPresent(i -> orderNodes.add(node));
    }
    orderNodes.sort(Comparator.comparing((NodeEndpoint n) -> known.get(n).name()));
    return orderNodes;
  }

  /** The other nodes of the list known to share {@code node}'s idempotency scope. */
  List<NodeEndpoint> sameScopeAs(NodeEndpoint node) {
    List<NodeEndpoint> same = new ArrayList<>();
    NodeInfo info = known.get(node);
    if (info == null || info.idempotencyScope() == null) {
      return same;
    }
    for (NodeEndpoint other : nodes) {
      NodeInfo o = known.get(other);
      if (!other.equals(node) && o != null && info.idempotencyScope().equals(o.idempotencyScope())) {
        same.add(other);
      }
    }
    return same;
  }
}
