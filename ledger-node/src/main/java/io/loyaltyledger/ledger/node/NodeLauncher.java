package io.loyaltyledger.ledger.node;

import ch.qos.logback.classic.LoggerContext;
import com.typesafe.config.Config;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process around a node, shared by every node's main: start it, stop it gracefully on
 * SIGTERM, and exit when the node refuses to run. A node downed by the split brain resolver does
 * not exit: it rejoins the cluster as a new incarnation of its member (see {@link LedgerNode}).
 */
public final class NodeLauncher {

  private static final Logger log = LoggerFactory.getLogger(NodeLauncher.class);

  private NodeLauncher() {}

  /**
   * Starts the node {@code start} returns; exits with status 1 if it cannot start. Every log line
   * of the process carries the node's name (logback context property {@code node}).
   */
  public static void run(Config config, Supplier<LedgerNode> start) {
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .putProperty("node", config.getString("loyalty.node.name"));
    LedgerNode node;
    try {
      node = start.get();
    } catch (RuntimeException e) {
      // A locked or mismatched database, a port in use: one clear line, then the details.
      log.error("The node cannot start: {}", e.getMessage(), e);
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
    // A node that refuses to run (the cluster refused its configuration, or an older live member
    // claims its writer name) stops: running it again as it is would be refused again.
    node.refused()
        .thenAcceptAsync(
            why -> {
              if (!stopping.get()) {
                log.error("The node refuses to run: {}; it exits", why);
                System.exit(1);
              }
            },
            task -> new Thread(task, "refused-exit").start());
  }
}
