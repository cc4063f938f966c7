package io.loyaltyledger.client;

import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.order.node.OrderNode;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One ledger node and one order node in this JVM, on real ports, each with its own database. */
public final class RealNodes implements AutoCloseable {

  private final LedgerNode ledger;
  private final OrderNode order;
  private boolean orderStopped;

  private RealNodes(LedgerNode ledger, OrderNode order) {
    this.ledger = ledger;
    this.order = order;
  }

  public static RealNodes start(Path dir) {
    TestNodes ledgers = new TestNodes(dir.resolve("ledger"), "ledger", 1, 64);
    TestNodes orders = new TestNodes(dir.resolve("order"), "order", 1, 64);
    LedgerNode ledger = LedgerNode.start(ledgers.config(0));
    OrderNode order = null;
    try {
      order = OrderNode.start(orders.configJoining(0, "order-1", ledgers));
      CompletableFuture.allOf(ledger.started(), order.started()).get(90, TimeUnit.SECONDS);
      return new RealNodes(ledger, order);
    } catch (Exception e) {
      if (order != null) {
        order.close();
      }
      ledger.close();
      throw new IllegalStateException("nodes did not start", e);
    }
  }

  public String ledgerUrl() {
    return "http://127.0.0.1:" + ledger.httpPort();
  }

  public String orderUrl() {
    return "http://127.0.0.1:" + order.httpPort();
  }

  public int orderPort() {
    return order.httpPort();
  }

  /** Stops the order node (its port then refuses connections). */
  public void stopOrderNode() {
    if (!orderStopped) {
      orderStopped = true;
      order.close();
    }
  }

  @Override
  public void close() {
    // the order node leaves first, so neither waits for a dead member
    stopOrderNode();
    ledger.close();
  }
}
