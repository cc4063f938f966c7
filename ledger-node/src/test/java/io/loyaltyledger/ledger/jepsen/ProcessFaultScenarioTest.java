package io.loyaltyledger.ledger.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.LedgerNodeMain;
import io.loyaltyledger.ledger.node.NodeProcess;
import io.loyaltyledger.ledger.node.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ledger nodes, each a JVM of its own on loopback as {@code bin/cluster} runs them, under
 * load from clients writing through random nodes: one node killed with {@code kill -9} and
 * restarted, one frozen with {@code SIGSTOP} for longer than failure detection and the split
 * brain resolver (downed, it rejoins by itself on waking, as a new incarnation of its member, in
 * the same process), then the whole cluster stopped and started. Every balance must be intact
 * and agree everywhere.
 */
class ProcessFaultScenarioTest {

  private static final int NODES = 3;
  /** Longer than the test nodes' 10 s heartbeat pause plus the resolver's 3 s stable-after. */
  private static final Duration FROZEN = Duration.ofSeconds(25);

  @TempDir Path dir;

  @Test
  void killedFrozenAndRestartedNodesLoseNothingAndCountNothingTwice() throws Exception {
    long seed = Long.getLong("jepsen.seed", System.nanoTime());
    Random random = new Random(seed);
    List<String> accounts = List.of("proc-0", "proc-1", "proc-2", "proc-3", "proc-4");
    List<Integer> arteryPorts = new ArrayList<>();
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      arteryPorts.add(TestNodes.freePort());
      seeds.add(NodeProcess.address(arteryPorts.get(i)));
    }
    List<NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(new NodeProcess(dir, "ledger", "ledger-" + (i + 1),
          LedgerNodeMain.class.getName(), arteryPorts.get(i), seeds));
    }
    List<String> faults = new ArrayList<>();
    History history = new History();
    try {
      startAll(nodes);
      try (AdjustmentClients clients = new AdjustmentClients(history, accounts, NODES,
          i -> new ApiClient(nodes.get(i).httpPort(), Duration.ofSeconds(5)),
          i -> "ledger-" + (i + 1), 3, seed)) {
        Nemesis.hold(Duration.ofSeconds(3));

        int killed = random.nextInt(NODES);
        nodes.get(killed).kill();
        faults.add("kill -9 ledger-" + (killed + 1));
        Nemesis.hold(Duration.ofSeconds(3));
        nodes.get(killed).start();

        int frozen = random.nextInt(NODES);
        nodes.get(frozen).pause();
        faults.add("SIGSTOP ledger-" + (frozen + 1) + " for " + FROZEN.toSeconds() + " s");
        Nemesis.hold(FROZEN);
        nodes.get(frozen).resume();
        // Downed while frozen, it learns so on waking and rejoins as a new incarnation of its
        // member, in the same process; its HTTP API never went away.
        NodeProcess resumed = nodes.get(frozen);
        ApiClient resumedApi = new ApiClient(resumed.httpPort(), Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(
            () -> resumedApi.get("/v1/node").json().path("ready").asBoolean()
                && everyNodeSeesAllUp(nodes));
        assertThat(resumed.isAlive()).as("a downed node keeps its process").isTrue();
        int incarnation = resumedApi.get("/v1/node").json().path("clusterIncarnation").asInt();
        if (incarnation > 1) {
          faults.add("ledger-" + (frozen + 1) + " was downed and rejoined as incarnation "
              + incarnation);
        }
        Nemesis.hold(Duration.ofSeconds(3));
      }
      stopAll(nodes);
      faults.add("full-cluster stop and start");
      startAll(nodes);
      long started = System.nanoTime();

      List<ApiClient> apis = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        apis.add(new ApiClient(nodes.get(i).httpPort()));
        names.add("ledger-" + (i + 1));
      }
      Map<String, Map<String, Long>> finalReads =
          FinalReads.awaitSameRowsEverywhere(apis, names, accounts, Duration.ofSeconds(90));
      double convergedSeconds = (System.nanoTime() - started) / 1e9;
      CounterChecker.Result result = CounterChecker.check(history, finalReads);
      System.out.printf(
          "jepsen scenario 'process faults, adjustments': seed %d, operations %s, faults %s, "
              + "converged %.2f s after the restart%n",
          seed, history.counts(), faults, convergedSeconds);
      assertThat(result.errors()).as("seed %d", seed).isEmpty();
      assertThat(history.counts().getOrDefault(History.Outcome.OK, 0)).isPositive();
    } finally {
      stopAll(nodes);
    }
  }

  private static void startAll(List<NodeProcess> nodes) {
    List<CompletableFuture<NodeProcess>> starting = new ArrayList<>();
    for (NodeProcess node : nodes) {
      starting.add(CompletableFuture.supplyAsync(node::start));
    }
    starting.forEach(CompletableFuture::join);
  }

  /** Graceful stops (SIGTERM), all at once as an operator's script would. */
  private static void stopAll(List<NodeProcess> nodes) {
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    for (NodeProcess node : nodes) {
      stopping.add(CompletableFuture.runAsync(() -> {
        try {
          node.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    stopping.forEach(CompletableFuture::join);
  }

  private static boolean everyNodeSeesAllUp(List<NodeProcess> nodes) {
    for (NodeProcess node : nodes) {
      JsonNode cluster = new ApiClient(node.httpPort(), Duration.ofSeconds(5)).get("/v1/cluster").json();
      long up = 0;
      for (JsonNode member : cluster.get("members")) {
        if (member.get("status").asText().equals("Up") && member.get("reachable").asBoolean()) {
          up++;
        }
      }
      if (up != nodes.size()) {
        return false;
      }
    }
    return true;
  }
}
