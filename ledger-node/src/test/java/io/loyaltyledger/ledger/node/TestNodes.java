package io.loyaltyledger.ledger.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Configuration of in-JVM test nodes: the project's real {@code config/ledger-node.conf}, with
 * free ports, a data directory per node under a temporary folder, and short timings.
 */
public final class TestNodes {

  private static final int FIRST_PORT = 20_000;
  private static final int LAST_PORT = 32_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();


  private final Path root;
  private final String kind;
  private final int buckets;
  private final List<Integer> artteryPorts = new ArrayList<>();
  private final Map<String, Object> extra = new HashMap<>();

  public TestNodes(Path root, int nodes, int buckets) {
    this(root, "ledger", nodes, buckets);
  }

  /**
   * Nodes of one kind: {@code ledger} or {@code order}, configured from
   * {@code config/<kind>-node.conf} and named {@code <kind>-1}, {@code <kind>-2}, …
   */
  public TestNodes(Path root, String kind, int nodes, int buckets) {
    this.root = root;
    this.kind = kind;
    this.buckets = buckets;
    for (int i = 0; i < nodes; i++) {
      artteryPorts.add(freePort());
    }
  }

  /** An extra setting applied to every node. */
  public TestNodes with(String path, Object value) {
    extra.put(path, value);
    return this;
  }

  /**
   * Failure detection, downing and rejoining quicker than in the other in-JVM tests, for the
   * scenarios that cut a node off longer than {@code stableAfter}: it is downed ~{@code
   * stableAfter} + 5 s after the cut. The leader's decision can come late on a loaded machine: the
   * others must not take the partition for instability and down everyone meanwhile.
   */
  public TestNodes withQuickDowning(java.time.Duration stableAfter) {
    return with("akka.remote.artery.advanced.test-mode", "on")
        .with("akka.cluster.split-brain-resolver.stable-after", stableAfter.toMillis() + "ms")
        .with("akka.cluster.split-brain-resolver.down-all-when-unstable", "8s")
        .with("akka.cluster.failure-detector.heartbeat-interval", "500ms")
        .with("akka.cluster.failure-detector.acceptable-heartbeat-pause", "4s")
        .with("akka.cluster.unreachable-nodes-reaper-interval", "500ms")
        // a rejoining member retries its join soon when the old incarnation was still listed
        .with("akka.cluster.retry-unsuccessful-join-after", "2s")
        .with("loyalty.cluster.rejoin.min-backoff", "500ms");
  }

  public String name(int index) {
    return kind + "-" + (index + 1);
  }

  public Path dataDir(int index) {
    return root.resolve(name(index));
  }

  /** The configuration of node {@code index} (0-based), joining the given seed nodes. */
  public Config config(int index, List<Integer> seedIndexes) {
    return build(index, name(index), seedIndexes.stream().map(this::seedNode).collect(Collectors.toList()));
  }

  /** A node of this set named {@code name} that joins the cluster of {@code other}. */
  public Config configJoining(int index, String name, TestNodes other) {
    return build(index, name, other.seedNodes());
  }

  /** The cluster addresses of these nodes, for nodes elsewhere (another JVM) that join them. */
  public List<String> seedNodes() {
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < artteryPorts.size(); i++) {
      seeds.add(seedNode(i));
    }
    return seeds;
  }

  private String seedNode(int index) {
    return "akka://loyalty@127.0.0.1:" + artteryPorts.get(index);
  }

  private Config build(int index, String name, List<String> seedNodes) {
    Map<String, Object> settings = new HashMap<>(extra);
    settings.put("loyalty.node.name", name);
    settings.put("loyalty.node.data-dir", dataDir(index).toString());
    settings.put("loyalty.ledger.buckets", buckets);
    settings.put("loyalty.http.port", 0);
    settings.put("loyalty.writer.jdbc-url", "jdbc:h2:file:" + dataDir(index).resolve("writer") + ";WRITE_DELAY=0");
    settings.put("akka.remote.artery.canonical.port", artteryPorts.get(index));
    settings.put("akka.cluster.seed-nodes", seedNodes);
    return ConfigFactory.parseMap(settings)
        .withFallback(ConfigFactory.parseResources("test-node.conf"))
        .withFallback(ConfigFactory.parseFile(projectFile("config/" + kind + "-node.conf").toFile()))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  /** The configuration of node {@code index} in a cluster seeded by all nodes. */
  public Config config(int index) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < artteryPorts.size(); i++) {
      all.add(i);
    }
    return config(index, all);
  }

  public static Path projectFile(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !dir.resolve("config").toFile().isDirectory()) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("project root with config/ not found");
    }
    return dir.resolve(relative);
  }

  /**
   * A free loopback port for a node to bind, below Linux's ephemeral range (32768–60999): a port
   * from that range could meanwhile become the source port of an outbound connection, and a node
   * restarted on its port then failed to bind it. Never the same port twice in this JVM.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 500; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT);
      if (HANDED_OUT.add(port) && isFree(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + FIRST_PORT + ".." + LAST_PORT);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
