package io.loyaltyledger.ledger.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Starts a ledger node from its configuration file ({@code -Dconfig.file=config/ledger-1.conf}). */
public final class LedgerNodeMain {

  private LedgerNodeMain() {}

  public static void main(String[] args) {
    Config config = ConfigFactory.load();
    NodeLauncher.run(config, () -> LedgerNode.start(config));
  }
}
