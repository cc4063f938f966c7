package io.loyaltyledger.order.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.loyaltyledger.ledger.node.NodeLauncher;

/**
 * Starts an order node from its configuration file
 * ({@code -Dconfig.file=config/local/order-1.conf}).
 */
public final class OrderNodeMain {

  private OrderNodeMain() {}

  public static void main(String[] args) {
    Config config = ConfigFactory.load();
    NodeLauncher.run(config, () -> OrderNode.start(config).node());
  }
}
