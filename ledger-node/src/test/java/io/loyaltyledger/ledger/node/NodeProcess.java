package io.loyaltyledger.ledger.node;

import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A node in a JVM of its own, started as bin/cluster starts one (the project's
 * {@code config/<kind>-node.conf}, the node's main class), and killable.
 */
public final class NodeProcess implements AutoCloseable {

  /** Bucket count of node processes; in-JVM nodes of the same cluster must use it too. */
  public static final int BUCKETS = 64;

  private final Path configFile;
  private final Path log;
  private final int httpPort;
  private final String mainClass;
  private final List<String> config = new ArrayList<>();
  private Process process;

  /** A ledger node forming a single-node cluster in {@code dir}. */
  public NodeProcess(Path dir, String name) {
    this(dir, "ledger", name, LedgerNodeMain.class.getName(), List.of());
  }

  /**
   * A node of {@code kind} ({@code ledger} or {@code order}) named {@code name}, with its data in
   * {@code dir}, running {@code mainClass}. It joins {@code seedNodes} (e.g. {@link
   * TestNodes#seedNodes()} of in-JVM nodes), or forms a cluster of its own when there are none.
   */
  public NodeProcess(Path dir, String kind, String name, String mainClass, List<String> seedNodes) {
    this(dir, kind, name, mainClass, TestNodes.freePort(), seedNodes);
  }

  /**
   * As above, on a given Artery port: nodes that list each other as seed nodes (so that any of
   * them can restart and rejoin) need their ports before any starts. See {@link #address}.
   */
  public NodeProcess(
      Path dir, String kind, String name, String mainClass, int artery, List<String> seedNodes) {
    this.httpPort = TestNodes.freePort();
    this.mainClass = mainClass;
    List<String> seeds =
        seedNodes.isEmpty() ? List.of("akka://loyalty@127.0.0.1:" + artery) : seedNodes;
    this.configFile = dir.resolve(name + ".conf");
    this.log = dir.resolve(name + ".log");
    Path dataDir = dir.resolve(name);
    config.addAll(
        List.of(
            "include file(\"" + TestNodes.projectFile("config/" + kind + "-node.conf") + "\")",
            // the lenient failure detection of in-JVM test nodes: two cores run every node here
            "include classpath(\"test-node.conf\")",
            "loyalty.node.name = \"" + name + "\"",
            "loyalty.node.data-dir = \"" + dataDir + "\"",
            "loyalty.ledger.buckets = " + BUCKETS,
            "loyalty.http.port = " + httpPort,
            "akka.remote.artery.canonical.port = " + artery,
            "akka.cluster.seed-nodes = ["
                + seeds.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "))
                + "]",
            "akka.cluster.distributed-data.durable.lmdb.map-size = 64MiB"));
  }

  /** An extra setting of the node, applied from the next {@link #start}. */
  public NodeProcess with(String path, Object value) {
    config.add(path + " = " + ConfigValueFactory.fromAnyRef(value).render());
    return this;
  }

  public int httpPort() {
    return httpPort;
  }

  /** Starts the process and waits until the node is ready to take writes. */
  public NodeProcess start() {
    try {
      Files.writeString(configFile, String.join("\n", config) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx256m",
            "-Dconfig.file=" + configFile,
            "-cp", System.getProperty("java.class.path"),
            mainClass));
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ApiClient api = new ApiClient(httpPort);
    try {
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError("node exited; see " + log);
                }
                return api.get("/ready").status() == 200;
              });
    } catch (RuntimeException | AssertionError e) {
      // the caller gets no NodeProcess to close: a node that never got ready must not outlive it
      process.destroyForcibly();
      printLogTail(80); // the log is in a temporary directory, gone after the test
      throw e;
    }
    return this;
  }

  /** The last {@code lines} lines of the node's log, on standard output (the test's report). */
  public void printLogTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      System.out.println("--- last " + lines + " lines of " + log + " ---");
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
    } catch (IOException | RuntimeException e) {
      System.out.println("cannot read " + log + ": " + e);
    }
  }

  /** The cluster address of the node on Artery port {@code artery}. */
  public static String address(int artery) {
    return "akka://loyalty@127.0.0.1:" + artery;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** {@code kill -STOP}: the process freezes, sockets stay open, heartbeats stop. */
  public void pause() {
    signal("STOP");
  }

  /** {@code kill -CONT}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code kill -TERM}: the node stops gracefully. */
  public void terminate() {
    signal("TERM");
  }

  /** The process's exit status, once it has exited within {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the node did not exit within " + timeout + "; see " + log);
    }
    return process.exitValue();
  }

  /** {@code kill -9}: no shutdown hook, no flush, nothing graceful. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
