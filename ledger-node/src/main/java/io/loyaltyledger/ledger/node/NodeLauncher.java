package io.loyaltyledger.ledger.node;

import ch.qos.logback.classic.LoggerContext;
import com.typesafe.config.Config;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The process around a node, shared by every node's main: start it, stop it gracefully on
 * SIGTERM and exit with status 0, and exit with status 1 when the node refuses to run. A node
 * downed by the split brain resolver does not exit: it rejoins the cluster as a new incarnation of
 * its member (see {@link LedgerNode}).
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
    onSigterm(
        () -> {
          stopping.set(true);
          node.close();
          log.info("Node stopped");
          System.exit(0);
        });
    // Any other way out of the JVM (SIGINT, System.exit) stops the node gracefully as well.
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
                node.close();
                System.exit(1);
              }
            },
            task -> stopThread("refused-exit", task));
  }

  /**
   * Runs {@code stop} on a thread that keeps the JVM alive until the node has stopped: the JVM
   * would otherwise exit as soon as the ActorSystem's threads are gone, before the database is
   * closed (a signal handler's threads, and those it starts, are daemons).
   */
  private static void stopThread(String name, Runnable stop) {
    Thread thread = new Thread(stop, name);
    thread.setDaemon(false);
    thread.start();
  }

  /**
   * SIGTERM (docker stop, systemd, kill, bin/cluster down) runs {@code stop} instead of the JVM's
   * shutdown: the JVM would end with status 143, which supervisors take for a failure, while a
   * node that stopped as asked has succeeded. Where the signal cannot be handled (-Xrs), the
   * shutdown hook still stops the node gracefully.
   */
  private static void onSigterm(Runnable stop) {
    try {
      Signal.handle(new Signal("TERM"), signal -> stopThread("sigterm", stop));
    } catch (IllegalArgumentException e) {
      log.warn("SIGTERM is left to the JVM ({}): the node still stops gracefully, with status 143",
          e.getMessage());
    }
  }
}
