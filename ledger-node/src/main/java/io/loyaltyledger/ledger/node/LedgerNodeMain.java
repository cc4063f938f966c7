package io.loyaltyledger.ledger.node;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/** Starts a ledger node from its configuration file ({@code -Dconfig.file=config/ledger-1.conf}). */
public final class LedgerNodeMain {

  private LedgerNodeMain() {}

  public static void main(String[] args) {
    LedgerNode node;
    try {
      node = LedgerNode.start(ConfigFactory.load());
    } catch (RuntimeException e) {
      // A locked or mismatched database, a port in use: one clear line, then the details.
      LoggerFactory.getLogger(LedgerNodeMain.class).error("The node cannot start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  node.close();
                },
                "shutdown"));
    // A node whose cluster membership ended (downed, or refused to join) exits with status 2, so
    // that a supervisor (bin/cluster up) can bring it back as a new incarnation of the member.
    node.system()
        .getWhenTerminated()
        .thenRun(
            () -> {
              if (!stopping.get()) {
                LoggerFactory.getLogger(LedgerNodeMain.class)
                    .error("Cluster membership ended; the node exits");
                System.exit(2);
              }
            });
  }
}
