package io.loyaltyledger.client.bench;

import io.loyaltyledger.client.Cancellation;
import io.loyaltyledger.client.Consistency;
import io.loyaltyledger.client.LoyaltyClient;
import io.loyaltyledger.client.LoyaltyException;
import io.loyaltyledger.client.NoNodeAvailableException;
import io.loyaltyledger.client.NodeEndpoint;
import io.loyaltyledger.client.NodeInfo;
import io.loyaltyledger.client.Order;
import io.loyaltyledger.client.Written;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real cluster through {@link LoyaltyClient}: orders and redemptions go to the order nodes (a
 * new order id each; the client picks the order node it hashes to), a cancellation to the order
 * node that took the order, balance reads to the ledger nodes in turn (each failing over to the
 * next ledger node), and convergence probes to every node that answered at the start, one node
 * each.
 */
public final class ClusterTarget implements BenchTarget {

  private static final long RETRY_PAUSE_MILLIS = 50;

  private final LoyaltyClient writes;
  private final Map<String, LoyaltyClient> oneNode;
  private final List<LoyaltyClient> readers;
  private final List<String> replicas;
  private final AtomicInteger readTurn = new AtomicInteger();
  private final String description;

  private ClusterTarget(LoyaltyClient writes, Map<String, LoyaltyClient> oneNode,
      List<LoyaltyClient> readers, List<String> replicas, String description) {
    this.writes = writes;
    this.oneNode = oneNode;
    this.readers = readers;
    this.replicas = replicas;
    this.description = description;
  }

  /**
   * Asks each node of {@code client}'s list what it is. Throws {@link NoNodeAvailableException}
   * when none answers, or when the mix writes and no order node answers (or reads and no node).
   */
  public static ClusterTarget connect(LoyaltyClient client, Mix mix) {
    Map<NodeEndpoint, Optional<NodeInfo>> infos = client.nodeInfos();
    List<NodeEndpoint> ledgers = new ArrayList<>();
    List<NodeEndpoint> orders = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    infos.forEach((node, info) -> {
      if (info.isEmpty()) {
        silent.add(node.toString());
      } else if (info.get().isOrderNode()) {
        orders.add(node);
      } else {
        ledgers.add(node);
      }
    });
    if (ledgers.isEmpty() && orders.isEmpty()) {
      throw new NoNodeAvailableException("no node answered among " + client.nodes());
    }
    if (mix.writes() && orders.isEmpty()) {
      throw new NoNodeAvailableException(
          "no order node answered among " + client.nodes() + " (orders, cancellations and"
              + " redemptions go to order nodes)");
    }
    Map<String, LoyaltyClient> oneNode = new LinkedHashMap<>();
    List<NodeEndpoint> answered = new ArrayList<>(ledgers);
    answered.addAll(orders);
    for (NodeEndpoint node : answered) {
      oneNode.put(node.toString(), client.withNodes(List.of(node)));
    }
    // reads on ledger nodes; only when none answered, on the order nodes
    List<NodeEndpoint> readNodes = ledgers.isEmpty() ? orders : ledgers;
    List<LoyaltyClient> readers = new ArrayList<>();
    for (int i = 0; i < readNodes.size(); i++) {
      List<NodeEndpoint> rotated = new ArrayList<>(readNodes.subList(i, readNodes.size()));
      rotated.addAll(readNodes.subList(0, i));
      readers.add(client.withNodes(rotated));
    }
    String description =
        ledgers.size() + " ledger, " + orders.size() + " order"
            + (silent.isEmpty() ? "" : "; not answering: " + String.join(", ", silent))
            + (ledgers.isEmpty() ? "; reads on order nodes (no ledger node answered)" : "");
    return new ClusterTarget(client, oneNode, readers,
        answered.stream().map(NodeEndpoint::toString).toList(), description);
  }

  /** E.g. {@code 3 ledger, 2 order}, and the nodes that did not answer. */
  public String describe() {
    return description;
  }

  @Override
  public Placed placeOrder(String accountId, String amount, long redeemPoints) {
    Written<Order> placed = writes.placeNewOrder(accountId, amount, "EUR", redeemPoints);
    Order o = placed.value();
    return new Placed(o.orderId(), o.pointsEarned(), o.pointsRedeemed(), o.token(), placed.node().toString());
  }

  @Override
  public Cancelled cancelOrder(String orderId, String node) {
    LoyaltyClient home = oneNode.get(node);
    Written<Cancellation> cancelled = (home != null ? home : writes).cancelOrder(orderId);
    Cancellation c = cancelled.value();
    return new Cancelled(c.pointsReversed(), c.pointsRefunded(), c.token());
  }

  @Override
  public void readBalance(String accountId) {
    readers.get(Math.floorMod(readTurn.getAndIncrement(), readers.size())).balance(accountId);
  }

  @Override
  public List<String> replicas() {
    return replicas;
  }

  /**
   * Asks the node with the token until it shows the write (each request waits on the node a
   * bounded while, then {@code 504 not_yet_visible}: ask again). A node that cannot tell for now
   * (no answer, a 5xx) is asked again shortly, until the deadline; then its last error is thrown.
   */
  @Override
  public boolean awaitVisible(String replica, String accountId, String token, long deadlineNanos) {
    LoyaltyClient node = oneNode.get(replica);
    while (true) {
      try {
        // the node answers as soon as its replica shows the token
        node.balance(accountId, Consistency.LOCAL, token);
        return true;
      } catch (LoyaltyException e) {
        boolean notYet = "not_yet_visible".equals(e.errorCode());
        boolean cannotTell = e.status() == 0 || e.status() >= 500;
        if (!notYet && !cannotTell) {
          throw e;
        }
        if (System.nanoTime() >= deadlineNanos) {
          if (notYet) {
            return false;
          }
          throw e;
        }
        if (!notYet) {
          pause();
        }
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
