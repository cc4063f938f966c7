package io.loyaltyledger.ledger.node;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A ledger node in a JVM of its own, started as bin/cluster starts one, and killable. */
public final class NodeProcess implements AutoCloseable {

  private final Path configFile;
  private final Path log;
  private final int httpPort;
  private Process process;

  /** A single-node cluster in {@code dir}, configured from the project's config/ledger-node.conf. */
  public NodeProcess(Path dir, String name) {
    this.httpPort = TestNodes.freePort();
    int artery = TestNodes.freePort();
    this.configFile = dir.resolve(name + ".conf");
    this.log = dir.resolve(name + ".log");
    String config =
        String.join(
            "\n",
            "include file(\"" + TestNodes.projectFile("config/ledger-node.conf") + "\")",
            "loyalty.node.name = \"" + name + "\"",
            "loyalty.node.data-dir = \"" + dir.resolve(name) + "\"",
            "loyalty.ledger.buckets = 64",
            "loyalty.http.port = " + httpPort,
            "akka.remote.artery.canonical.port = " + artery,
            "akka.cluster.seed-nodes = [\"akka://loyalty@127.0.0.1:" + artery + "\"]",
            "akka.cluster.distributed-data.durable.lmdb.map-size = 64MiB",
            "");
    try {
      Files.writeString(configFile, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int httpPort() {
    return httpPort;
  }

  public NodeProcess start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx256m",
            "-Dconfig.file=" + configFile,
            "-cp", System.getProperty("java.class.path"),
            LedgerNodeMain.class.getName()));
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
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError("node exited; see " + log);
              }
              return api.get("/ready").status() == 200;
            });
    return this;
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
