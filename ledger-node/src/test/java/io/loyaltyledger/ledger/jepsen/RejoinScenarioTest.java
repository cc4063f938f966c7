package io.loyaltyledger.ledger.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.Cluster;
import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ledger nodes in one JVM, clients adjusting balances through every node, and a node cut
 * off by the nemesis around the split brain resolver's {@code stable-after}:
 *
 * <ul>
 *   <li>longer: the resolver downs it; it keeps its process, HTTP front and writer — adjustments
 *       to it succeed while reads answer {@code 503 replica_unavailable} — and once healed it
 *       rejoins as a new incarnation of its member, becomes ready, and publishes what it took
 *       meanwhile;
 *   <li>shorter: healed as soon as the nodes see the cut (members unreachable), before the
 *       resolver's {@code stable-after}: nobody is downed, no new incarnation.
 * </ul>
 *
 * Either way every node converges to the same rows, and the checker finds each balance equal to
 * the sum of the acknowledged adjustments. The cluster is shared by both scenarios; failure
 * detection is quicker than in the other in-JVM tests (4 s of missed heartbeats) so that downing
 * comes about 9 s after the cut (more on a loaded machine).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RejoinScenarioTest {

  private static final int NODES = 3;
  private static final int BUCKETS = 64;
  private static final Duration STABLE_AFTER = Duration.ofSeconds(4);

  @TempDir static Path dir;

  private TestCluster cluster;
  private Nemesis nemesis;
  private final long seed = Long.getLong("jepsen.seed", System.nanoTime());

  @BeforeAll
  void startCluster() {
    cluster = new TestCluster(dir, NODES, BUCKETS);
    cluster.configs().withQuickDowning(STABLE_AFTER);
    cluster.startAll();
  }

  /** A fresh nemesis per scenario, once every node is a ready member again. */
  @BeforeEach
  void everyNodeReady() {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          for (int i = 0; i < NODES; i++) {
            if (!cluster.node(i).isClusterReady()) {
              return false;
            }
          }
          return true;
        });
    nemesis = new Nemesis(NODES, i -> cluster.node(i) == null ? null : cluster.node(i).system());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void aNodeCutOffLongerThanStableAfterIsDownedKeepsTakingWritesAndRejoins() throws Exception {
    List<String> accounts = accounts("long", 6);
    // The first seed node: the one that could form a cluster of its own if it rejoined through
    // the configured seed nodes while still cut off.
    int isolated = 0;
    LedgerNode node = cluster.node(isolated);
    ApiClient api = cluster.api(isolated);
    int incarnationBefore = node.clusterIncarnation();
    int[] allBefore = incarnations();
    History history = new History();
    long cutAt;
    long downedAt;
    long healedAt;
    long readyAt;
    int writesWhileDowned = 0;
    try (AdjustmentClients clients = new AdjustmentClients(history, accounts, NODES, cluster::api,
        cluster.configs()::name, 3, seed); Healing healing = new Healing()) {
      awaitSomeOk(history);
      cutAt = System.nanoTime();
      nemesis.isolate(isolated);
      // Failure detection (4 s) plus stable-after (4 s), then the member's coordinated shutdown.
      await("the isolated node is downed").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> "rejoining".equals(nodeView(api).path("cluster").asText()));
      downedAt = System.nanoTime();

      // Still cut off, it cannot rejoin yet: every answer below is its answer while downed.
      for (int i = 0; i < 10; i++) {
        String account = accounts.get(i % accounts.size());
        History.Op op = history.invoke("adjust", account, 7, cluster.configs().name(isolated));
        Answer answer = api.adjust(account, UUID.randomUUID().toString(), 7, "while downed");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        op.ok();
        writesWhileDowned++;
      }
      Answer read = api.get("/v1/accounts/" + accounts.get(0));
      assertThat(read.status()).as(read.body()).isEqualTo(503);
      assertThat(read.error()).isEqualTo("replica_unavailable");
      assertThat(api.get("/v1/accounts/" + accounts.get(0) + "?consistency=majority").error())
          .isEqualTo("replica_unavailable");
      assertThat(api.get("/v1/cluster").status()).isEqualTo(503);
      assertThat(api.get("/ready").status()).isEqualTo(500);
      assertThat(api.get("/alive").status()).isEqualTo(200);
      assertThat(api.get("/metrics").body()).contains("loyalty_cluster_member 0.0");
      JsonNode view = nodeView(api);
      assertThat(view.path("ready").asBoolean()).isFalse();
      assertThat(view.path("majorityReachable").asBoolean()).isFalse();
      assertThat(view.path("cluster").asText()).isEqualTo("rejoining");

      nemesis.heal();
      healedAt = System.nanoTime();
      await("the downed node rejoins and is ready").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            JsonNode now = nodeView(api);
            return now.path("ready").asBoolean() && "up".equals(now.path("cluster").asText());
          });
      readyAt = System.nanoTime();
    }
    assertThat(node.clusterIncarnation()).isGreaterThan(incarnationBefore);
    assertThat(nodeView(api).path("clusterIncarnation").asInt()).isEqualTo(node.clusterIncarnation());
    assertThat(api.get("/ready").status()).isEqualTo(200);
    Map<String, Map<String, Long>> finalReads = finalReads(accounts);
    double convergedSeconds = (System.nanoTime() - healedAt) / 1e9;
    CounterChecker.Result result = CounterChecker.check(history, finalReads);
    System.out.printf(
        "jepsen scenario 'cut off longer than stable-after, adjustments': seed %d, operations %s"
            + " (%d to the downed node while it rejoined), faults %s; downed %.2f s after the cut,"
            + " ready again %.2f s and converged %.2f s after the heal (incarnation %d -> %d;"
            + " incarnations of all nodes %s -> %s)%n",
        seed, history.counts(), writesWhileDowned, nemesis.log(), (downedAt - cutAt) / 1e9,
        (readyAt - healedAt) / 1e9, convergedSeconds, incarnationBefore, node.clusterIncarnation(),
        java.util.Arrays.toString(allBefore), java.util.Arrays.toString(incarnations()));
    assertThat(result.errors()).as("seed %d", seed).isEmpty();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aNodeCutOffShorterThanStableAfterIsNotDowned() throws Exception {
    List<String> accounts = accounts("short", 6);
    int isolated = 1 + new Random(seed).nextInt(NODES - 1);
    int[] before = incarnations();
    List<ActorSystem<?>> systemsBefore = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      systemsBefore.add(cluster.node(i).system());
    }
    History history = new History();
    long cutAt;
    long seenAt;
    long healedAt;
    try (AdjustmentClients clients = new AdjustmentClients(history, accounts, NODES, cluster::api,
        cluster.configs()::name, 3, seed); Healing healing = new Healing()) {
      awaitSomeOk(history);
      cutAt = System.nanoTime();
      nemesis.isolate(isolated);
      // Heal as soon as any node sees the cut: the resolver's stable-after has just begun.
      await("the cut is seen").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(25))
          .until(() -> anyUnreachable(systemsBefore));
      seenAt = System.nanoTime();
      nemesis.heal();
      healedAt = System.nanoTime();
      await("every member reachable again").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !anyUnreachable(systemsBefore));
    }
    assertThat(incarnations()).as("nobody was downed").containsExactly(before);
    for (int i = 0; i < NODES; i++) {
      assertThat(cluster.node(i).system()).isSameAs(systemsBefore.get(i));
    }
    Map<String, Map<String, Long>> finalReads = finalReads(accounts);
    double convergedSeconds = (System.nanoTime() - healedAt) / 1e9;
    CounterChecker.Result result = CounterChecker.check(history, finalReads);
    System.out.printf(
        "jepsen scenario 'cut off shorter than stable-after, adjustments': seed %d, operations %s,"
            + " faults %s; cut seen after %.2f s and healed %.2f s later (stable-after %d s),"
            + " converged %.2f s after the heal, no new incarnation%n",
        seed, history.counts(), nemesis.log(), (seenAt - cutAt) / 1e9, (healedAt - seenAt) / 1e9,
        STABLE_AFTER.toSeconds(), convergedSeconds);
    assertThat(result.errors()).as("seed %d", seed).isEmpty();
  }

  /** Heals every link when a scenario ends, also when it fails: the cluster is shared. */
  private final class Healing implements AutoCloseable {
    @Override
    public void close() {
      List<String> faults = nemesis.log();
      if (!faults.isEmpty() && !faults.get(faults.size() - 1).equals("heal")) {
        nemesis.heal();
      }
    }
  }

  private static List<String> accounts(String prefix, int count) {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      accounts.add(prefix + "-" + i);
    }
    return accounts;
  }

  private int[] incarnations() {
    int[] incarnations = new int[NODES];
    for (int i = 0; i < NODES; i++) {
      incarnations[i] = cluster.node(i).clusterIncarnation();
    }
    return incarnations;
  }

  private static void awaitSomeOk(History history) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> history.counts().getOrDefault(History.Outcome.OK, 0) >= 30);
  }

  private static JsonNode nodeView(ApiClient api) {
    return api.get("/v1/node").json();
  }

  private static boolean anyUnreachable(List<ActorSystem<?>> systems) {
    for (ActorSystem<?> system : systems) {
      if (!Cluster.get(Adapter.toClassic(system)).state().getUnreachable().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private Map<String, Map<String, Long>> finalReads(List<String> accounts) {
    List<LedgerNode> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(cluster.node(i));
    }
    FinalReads.awaitNothingPending(nodes, Duration.ofSeconds(60));
    List<ApiClient> apis = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      apis.add(cluster.api(i));
      names.add(cluster.configs().name(i));
    }
    return FinalReads.awaitSameRowsEverywhere(apis, names, accounts, Duration.ofSeconds(60));
  }
}
