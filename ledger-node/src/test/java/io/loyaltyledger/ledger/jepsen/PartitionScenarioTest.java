package io.loyaltyledger.ledger.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five ledger nodes in one JVM, clients adjusting balances through random nodes while a nemesis
 * isolates a node, splits majority from minority and bridges two halves, healing in between.
 * After the last heal every node must converge to the same rows, and the checker must find each
 * balance equal to what the acknowledged operations allow. The partitions here are shorter than
 * failure detection (the test nodes allow 10 s of missed heartbeats), so nobody is downed.
 */
class PartitionScenarioTest {

  private static final int NODES = 5;
  private static final int BUCKETS = 64;
  private static final Duration FAULT = Duration.ofSeconds(4);
  private static final Duration CALM = Duration.ofSeconds(2);
  /** Nemesis cycles: 1 in the default build; a soak sets {@code -Djepsen.rounds=N}. */
  private static final int ROUNDS = Integer.getInteger("jepsen.rounds", 1);

  @TempDir Path dir;

  @Test
  void adjustmentsThroughRandomNodesUnderShortPartitionsConvergeExactly() throws Exception {
    long seed = Long.getLong("jepsen.seed", System.nanoTime());
    Random random = new Random(seed);
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      accounts.add("jepsen-" + i);
    }
    TestCluster cluster = new TestCluster(dir, NODES, BUCKETS);
    cluster.configs().with("akka.remote.artery.advanced.test-mode", "on");
    try (cluster) {
      cluster.startAll();
      Nemesis nemesis = new Nemesis(NODES, i -> system(cluster.node(i)));
      History history = new History();
      long healedAt;
      try (AdjustmentClients clients =
          new AdjustmentClients(history, accounts, NODES, cluster::api, cluster.configs()::name, 4,
              seed)) {
        for (int round = 0; round < ROUNDS; round++) {
          int isolated = random.nextInt(NODES);
          nemesis.cycle(isolated, List.of(Set.of(0, 1, 2), Set.of(3, 4)), FAULT, CALM,
              // The cut is real: the isolated node cannot reach a majority for a read.
              () -> assertThat(cluster.api(isolated)
                      .get("/v1/accounts/jepsen-0?consistency=majority").status())
                  .isNotEqualTo(200));
        }
        healedAt = System.nanoTime();
      }
      List<ApiClient> apis = new ArrayList<>();
      List<String> names = new ArrayList<>();
      List<LedgerNode> nodes = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        apis.add(cluster.api(i));
        names.add(cluster.configs().name(i));
        nodes.add(cluster.node(i));
      }
      FinalReads.awaitNothingPending(nodes, Duration.ofSeconds(60));
      Map<String, Map<String, Long>> finalReads =
          FinalReads.awaitSameRowsEverywhere(apis, names, accounts, Duration.ofSeconds(60));
      double convergedSeconds = (System.nanoTime() - healedAt) / 1e9;

      CounterChecker.Result result = CounterChecker.check(history, finalReads);
      System.out.printf(
          "jepsen scenario 'short partitions, adjustments': seed %d, operations %s, faults %s, "
              + "converged %.2f s after the last heal%n",
          seed, history.counts(), nemesis.log(), convergedSeconds);
      assertThat(result.errors()).as("seed %d", seed).isEmpty();
      assertThat(history.counts().getOrDefault(History.Outcome.OK, 0)).isPositive();
    }
  }

  private static akka.actor.typed.ActorSystem<?> system(LedgerNode node) {
    return node == null ? null : node.system();
  }
}
