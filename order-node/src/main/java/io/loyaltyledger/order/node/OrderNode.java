package io.loyaltyledger.order.node;

import com.typesafe.config.Config;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.order.overdraft.OverdraftPolicy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An order node: the ledger core (writer, replica, publisher, reconciler, balance API) with the
 * order service running on it. Its writer authors the credits of the orders it takes and the
 * clawbacks of their cancellations.
 */
public final class OrderNode implements AutoCloseable {

  private final LedgerNode node;
  private final OrderFeature orders;

  private OrderNode(LedgerNode node, OrderFeature orders) {
    this.node = node;
    this.orders = orders;
  }

  public static OrderNode start(Config config) {
    return start(config, Clock.systemUTC());
  }

  /** A node whose order service tells time by {@code clock} (tests move it forward). */
  public static OrderNode start(Config config, Clock clock) {
    // Parsed first: a mistake in loyalty.earn or loyalty.overdraft stops the node before it
    // opens anything.
    OrderFeature orders = new OrderFeature(OrderSettings.fromConfig(config), clock);
    return new OrderNode(LedgerNode.start(config, List.of(orders)), orders);
  }

  /** The node underneath: its writer, rows, replica and cluster membership. */
  public LedgerNode node() {
    return node;
  }

  public OverdraftPolicy overdrafts() {
    return orders.overdrafts();
  }

  /** Completes when the node takes writes. */
  public CompletableFuture<Void> started() {
    return node.started();
  }

  public int httpPort() {
    return node.httpPort();
  }

  @Override
  public void close() {
    node.close();
  }
}
