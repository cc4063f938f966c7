package io.loyaltyledger.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A client of a Loyalty Ledger cluster, given the HTTP addresses of some of its nodes.
 *
 * <ul>
 *   <li>Reads go to the node that answered last and fail over to the next on connection errors
 *       and 5xx; {@code 504 not_yet_visible} is an answer.
 *   <li>Writes carry an idempotency key (derived from the order id or the adjustment when none is
 *       given) and are retried with that same key on the node that may hold it; see {@link
 *       WriteRetrier}. An unknown outcome ends in {@link OutcomeUnknownException}.
 *   <li>Every write answers a token; {@link #balance(String, Consistency, String)} with it reads
 *       your write on any node.
 *   <li>An order lives on the order node that took it: the client finds it by asking the order
 *       nodes in turn ({@code 404 order_not_found} means "not here").
 * </ul>
 */
public final class LoyaltyClient {

  private final List<NodeEndpoint> nodes;
  private final ClientSettings settings;
  private final HttpTransport transport;
  private final NodeDirectory directory;
  private final ReadRouter reads;
  private final WriteRetrier writes;

  private LoyaltyClient(List<NodeEndpoint> nodes, ClientSettings settings) {
    this.nodes = List.copyOf(nodes);
    this.settings = settings;
    this.transport = new HttpTransport(settings);
    this.directory = new NodeDirectory(this.nodes, transport);
    this.reads = new ReadRouter(this.nodes, transport);
    this.writes = new WriteRetrier(transport, directory, settings);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<NodeEndpoint> nodes() {
    return nodes;
  }

  /**
   * A client of other nodes (one node alone, say) with this client's settings: timeouts, retry
   * pacing and every other setting carry over. It learns the nodes afresh.
   */
  public LoyaltyClient withNodes(List<NodeEndpoint> otherNodes) {
    if (otherNodes.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one node URL");
    }
    return new LoyaltyClient(otherNodes, settings);
  }

  // ---- reads ----

  public Balance balance(String accountId) {
    return balance(accountId, Consistency.LOCAL, null);
  }

  /** The balance at the given consistency; with a token, only once that write is visible. */
  public Balance balance(String accountId, Consistency consistency, String afterToken) {
    return reads.read(
        balancePath(accountId, consistency, afterToken),
        Balance.class,
        afterToken == null ? Duration.ZERO : settings.visibilityWait());
  }

  /** The balance as each node of the list sees it, without failover (for side-by-side views). */
  public List<NodeBalance> balanceOnEveryNode(String accountId) {
    List<NodeBalance> views = new ArrayList<>();
    String path = balancePath(accountId, Consistency.LOCAL, null);
    for (NodeEndpoint node : nodes) {
      try {
        HttpTransport.Reply reply = transport.get(node, path);
        if (reply.ok()) {
          views.add(new NodeBalance(node, Json.read(reply, Balance.class, node), null));
        } else {
          views.add(new NodeBalance(node, null, Json.error(reply, node).errorCode()));
        }
      } catch (HttpTransport.NodeFailure e) {
        views.add(new NodeBalance(node, null, e.neverReached() ? "down" : "no answer"));
      }
    }
    return views;
  }

  public ClusterView cluster() {
    return reads.read("/v1/cluster", ClusterView.class);
  }

  /** What each node of the list says about itself; absent when it does not answer. */
  public Map<NodeEndpoint, Optional<NodeInfo>> nodeInfos() {
    Map<NodeEndpoint, Optional<NodeInfo>> infos = new LinkedHashMap<>();
    for (NodeEndpoint node : nodes) {
      infos.put(node, directory.info(node));
    }
    return infos;
  }

  /** The order, from the order node that holds it. */
  public Order order(String orderId) {
    return locate(orderId).order();
  }

  // ---- writes ----

  public Written<Order> placeOrder(String orderId, String accountId, String amount, String currency) {
    return placeOrder(orderId, accountId, amount, currency, null);
  }

  /**
   * Places an order on an order node: the one that already holds {@code orderId} if one does (a
   * repeated call replays there), else the one the order id hashes to, moving on to the next
   * order node only while the write provably reached none.
   *
   * <p>An order id may have been placed before (that is what makes a repeated call safe), so
   * when the order is on no order node that answered while some node of the list did not answer
   * (it may be an order node holding it), this refuses with {@link NoNodeAvailableException}
   * rather than risk placing the order twice. {@link #placeNewOrder} has no such restriction.
   */
  public Written<Order> placeOrder(
      String orderId, String accountId, String amount, String currency, String idempotencyKey) {
    return placeOrder(orderId, accountId, amount, currency, 0, idempotencyKey);
  }

  /**
   * As {@link #placeOrder(String, String, String, String, String)}, redeeming {@code
   * redeemPoints} points with the order. Not enough points is a {@link LoyaltyException} with
   * error {@code insufficient_points} (409); nothing was written.
   */
  public Written<Order> placeOrder(String orderId, String accountId, String amount,
      String currency, long redeemPoints, String idempotencyKey) {
    Objects.requireNonNull(orderId, "orderId");
    List<NodeEndpoint> orderNodes = orderNodes();
    List<String> silent = new ArrayList<>();
    for (NodeEndpoint node : nodes) {
      if (directory.knownInfo(node).isEmpty()) {
        silent.add(node + ": does not answer");
      }
    }
    Optional<Found> found = findOrder(orderId, orderNodes, silent);
    if (found.isEmpty() && !silent.isEmpty()) {
      throw new NoNodeAvailableException(
          "order " + orderId + " is on no order node that answered, but it may be on one that did"
              + " not (" + String.join("; ", silent) + "); placing it elsewhere could place it"
              + " twice: retry once every node answers, or place it under a new order id");
    }
    List<NodeEndpoint> candidates =
        found.map(f -> List.of(f.node()))
            .orElseGet(() -> rotate(orderNodes, Math.floorMod(orderId.hashCode(), orderNodes.size())));
    return place(candidates, orderId, accountId, amount, currency, redeemPoints, idempotencyKey);
  }

  /**
   * Places an order under a new order id (in the answer, and in the key {@code order:<id>}). No
   * node can hold it yet, so any order node that answers may take it.
   */
  public Written<Order> placeNewOrder(String accountId, String amount, String currency) {
    return placeNewOrder(accountId, amount, currency, 0);
  }

  /** As {@link #placeNewOrder(String, String, String)}, redeeming {@code redeemPoints} points. */
  public Written<Order> placeNewOrder(
      String accountId, String amount, String currency, long redeemPoints) {
    String orderId = IdempotencyKeys.newOrderId();
    List<NodeEndpoint> orderNodes = orderNodes();
    List<NodeEndpoint> candidates =
        rotate(orderNodes, Math.floorMod(orderId.hashCode(), orderNodes.size()));
    return place(candidates, orderId, accountId, amount, currency, redeemPoints, null);
  }

  private Written<Order> place(
      List<NodeEndpoint> candidates,
      String orderId,
      String accountId,
      String amount,
      String currency,
      long redeemPoints,
      String idempotencyKey) {
    String key = idempotencyKey != null ? idempotencyKey : IdempotencyKeys.placeOrder(orderId);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("orderId", orderId);
    body.put("accountId", accountId);
    body.put("amount", amount);
    body.put("currency", currency);
    if (redeemPoints != 0) {
      body.put("redeemPoints", redeemPoints);
    }
    return writes.write(candidates, "/v1/orders", key, Json.write(body), Order.class);
  }

  private List<NodeEndpoint> orderNodes() {
    List<NodeEndpoint> orderNodes = directory.orderNodes();
    if (orderNodes.isEmpty()) {
      throw new NoNodeAvailableException("no order node answered among " + nodes);
    }
    return orderNodes;
  }

  public Written<Cancellation> cancelOrder(String orderId) {
    return cancelOrder(orderId, null);
  }

  /** Cancels the order on the order node that holds it. */
  public Written<Cancellation> cancelOrder(String orderId, String idempotencyKey) {
    String key = idempotencyKey != null ? idempotencyKey : IdempotencyKeys.cancelOrder(orderId);
    NodeEndpoint home = locate(orderId).node();
    return writes.write(
        List.of(home), "/v1/orders/" + encode(orderId) + "/cancel", key, "{}", Cancellation.class);
  }

  public Written<Adjustment> adjust(String accountId, long points, String reason) {
    return adjust(accountId, points, reason, null);
  }

  /** An administrative credit or forced debit, on the first node of the list that takes it. */
  public Written<Adjustment> adjust(String accountId, long points, String reason, String idempotencyKey) {
    String key =
        idempotencyKey != null ? idempotencyKey : IdempotencyKeys.adjustment(accountId, points, reason);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("points", points);
    body.put("reason", reason);
    // Learn the scopes first, so that an unknown outcome may be retried on a same-scope node.
    nodes.forEach(directory::info);
    return writes.write(
        nodes, "/v1/accounts/" + encode(accountId) + "/adjustments", key, Json.write(body), Adjustment.class);
  }

  // ---- where orders live ----

  private record Found(NodeEndpoint node, Order order) {}

  private Found locate(String orderId) {
    List<String> silent = new ArrayList<>();
    Optional<Found> found = findOrder(orderId, orderNodes(), silent);
    if (found.isPresent()) {
      return found.get();
    }
    if (!silent.isEmpty()) {
      throw new NoNodeAvailableException(
          "order " + orderId + " is on none of the order nodes that answered, and these did not: "
              + String.join("; ", silent));
    }
    throw new LoyaltyException("order_not_found", 404, "no order node knows order " + orderId, null);
  }

  /**
   * Asks each order node for the order ({@code 404} means "not here"); the nodes that could not
   * be asked are added to {@code silent}.
   */
  private Optional<Found> findOrder(String orderId, List<NodeEndpoint> orderNodes, List<String> silent) {
    for (NodeEndpoint node : orderNodes) {
      try {
        HttpTransport.Reply reply = transport.get(node, "/v1/orders/" + encode(orderId));
        if (reply.ok()) {
          return Optional.of(new Found(node, Json.read(reply, Order.class, node)));
        }
        LoyaltyException error = Json.error(reply, node);
        if (reply.status() == 404) {
          continue; // not this node's order
        }
        if (reply.status() < 500) {
          throw error;
        }
        silent.add(node + ": " + error.errorCode());
      } catch (HttpTransport.NodeFailure e) {
        silent.add(e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static List<NodeEndpoint> rotate(List<NodeEndpoint> list, int first) {
    List<NodeEndpoint> rotated = new ArrayList<>(list.subList(first, list.size()));
    rotated.addAll(list.subList(0, first));
    return rotated;
  }

  private String balancePath(String accountId, Consistency consistency, String afterToken) {
    StringBuilder path = new StringBuilder("/v1/accounts/").append(encode(accountId));
    path.append("?consistency=").append(consistency.query());
    if (afterToken != null) {
      path.append("&after=").append(encode(afterToken));
      path.append("&timeout=").append(settings.visibilityWait().toMillis());
    }
    return path.toString();
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Node URLs, timeouts and retry pacing; every setting has a default but the nodes. */
  public static final class Builder {
    private final List<NodeEndpoint> nodes = new ArrayList<>();
    private ClientSettings settings = ClientSettings.DEFAULTS;

    public Builder nodes(List<NodeEndpoint> endpoints) {
      nodes.addAll(endpoints);
      return this;
    }

    public Builder node(String url) {
      nodes.add(NodeEndpoint.of(url));
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      settings = new ClientSettings(timeout, settings.requestTimeout(), settings.writeDeadline(),
          settings.initialBackoff(), settings.maxBackoff(), settings.visibilityWait());
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      settings = new ClientSettings(settings.connectTimeout(), timeout, settings.writeDeadline(),
          settings.initialBackoff(), settings.maxBackoff(), settings.visibilityWait());
      return this;
    }

    /** How long a write is retried on the node that may hold it before {@link OutcomeUnknownException}. */
    public Builder writeDeadline(Duration deadline) {
      settings = new ClientSettings(settings.connectTimeout(), settings.requestTimeout(), deadline,
          settings.initialBackoff(), settings.maxBackoff(), settings.visibilityWait());
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      settings = new ClientSettings(settings.connectTimeout(), settings.requestTimeout(),
          settings.writeDeadline(), initial, max, settings.visibilityWait());
      return this;
    }

    /** How long a read with a token waits on a node for that write to arrive. */
    public Builder visibilityWait(Duration wait) {
      settings = new ClientSettings(settings.connectTimeout(), settings.requestTimeout(),
          settings.writeDeadline(), settings.initialBackoff(), settings.maxBackoff(), wait);
      return this;
    }

    public LoyaltyClient build() {
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("a client needs at least one node URL");
      }
      return new LoyaltyClient(nodes, settings);
    }
  }
}
