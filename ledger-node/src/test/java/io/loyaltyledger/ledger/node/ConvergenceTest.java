package io.loyaltyledger.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.writer.Adjustments;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ledger nodes in one JVM over real sockets: writes through every node converge, and the
 * ledger survives restarts, wiped replicas, unpublished commits and a database put back in time.
 */
class ConvergenceTest {

  private static final int BUCKETS = 64;

  @TempDir Path dir;

  @Test
  void concurrentAdjustmentsThroughEveryNodeConvergeAndSurviveARestartFromLmdb() throws Exception {
    Map<String, Long> expected;
    try (TestCluster cluster = new TestCluster(dir, 3, BUCKETS).startAll()) {
      expected = adjustConcurrently(cluster, 60);
      cluster.awaitConverged(expected);
    }
    // ledger-3 alone, seeded by itself: the other writers' rows can only come from its LMDB files.
    TestNodes configs = new TestNodes(dir, 3, BUCKETS);
    try (LedgerNode alone = LedgerNode.start(configs.config(2, List.of(2)))) {
      alone.started().get(60, TimeUnit.SECONDS);
      ApiClient api = new ApiClient(alone.httpPort());
      for (Map.Entry<String, Long> account : expected.entrySet()) {
        assertThat(api.balance(account.getKey())).isEqualTo(account.getValue());
      }
    }
  }

  @Test
  void aClusterWhoseReplicasWereAllWipedIsRebuiltFromTheWritersDatabases() {
    try (TestCluster cluster = new TestCluster(dir, 3, BUCKETS).startAll()) {
      Map<String, Long> expected = adjustConcurrently(cluster, 30);
      cluster.awaitConverged(expected);
      cluster.close();
      for (int i = 0; i < 3; i++) {
        TestCluster.deleteRecursively(cluster.configs().dataDir(i).resolve("replica"));
      }
      cluster.startAll();
      cluster.awaitConverged(expected);
    }
  }

  @Test
  void aCommitThatWasNeverPublishedIsPublishedOnRestartAndCountedOnce() {
    try (TestCluster cluster = new TestCluster(dir, 3, BUCKETS).startAll()) {
      cluster.api(1).adjust("frank", "first", 10, "seed");
      cluster.awaitConverged(Map.of("frank", 10L));
      cluster.stop(1);

      // The writer committed and died before publishing: only its database knows.
      var settings = cluster.configs().config(1);
      try (WriterDatabase db =
          WriterDatabase.open(
              NodeSettings.fromConfig(settings).writer(), BUCKETS)) {
        var rows = new io.loyaltyledger.ledger.writer.LedgerRows(db, new io.loyaltyledger.ledger.crdt.BucketIds(BUCKETS)::bucketOf);
        Adjustments adjustments = new Adjustments(db, rows, new IdempotentCommands(db, () -> {}));
        adjustments.adjust("unpublished-1", "frank", 5, "offline");
        adjustments.adjust("unpublished-2", "frank", 7, "offline");
      }
      cluster.awaitConverged(Map.of("frank", 10L));

      cluster.start(1);
      cluster.awaitConverged(Map.of("frank", 22L));
      // The client retries what it never saw acknowledged: replayed, not applied again.
      Answer retry = cluster.api(1).adjust("frank", "unpublished-1", 5, "offline");
      assertThat(retry.status()).isEqualTo(201);
      cluster.awaitConverged(Map.of("frank", 22L));
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
          .until(() -> cluster.api(0).balance("frank") == 22L);
    }
  }

  @Test
  void aWriterDatabasePutBackToAnOlderCopyHealsFromTheReplica() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, BUCKETS).startAll()) {
      assertThat(cluster.api(0).adjust("grace", "g1", 100, "start").status()).isEqualTo(201);
      cluster.awaitConverged(Map.of("grace", 100L));

      Path writerFile = cluster.configs().dataDir(0).resolve("writer.mv.db");
      Path backup = dir.resolve("backup.mv.db");
      cluster.stop(0);
      Files.copy(writerFile, backup);
      cluster.start(0);

      cluster.api(0).adjust("grace", "g2", 30, "after backup");
      cluster.api(0).adjust("grace", "g3", -5, "after backup");
      cluster.api(0).adjust("heidi", "h1", 9, "after backup");
      cluster.awaitConverged(Map.of("grace", 125L, "heidi", 9L));

      cluster.stop(0);
      Files.copy(backup, writerFile, StandardCopyOption.REPLACE_EXISTING);
      cluster.start(0);

      // Nothing lost: the replica's rows were adopted, including an account the backup lacks.
      cluster.awaitConverged(Map.of("grace", 125L, "heidi", 9L));
      // Nothing doubled: new writes land on top of the healed rows.
      assertThat(cluster.api(0).adjust("grace", "g4", 7, "after restore").status()).isEqualTo(201);
      cluster.awaitConverged(Map.of("grace", 132L, "heidi", 9L));
      assertThat(cluster.node(0).rows().row("grace").orElseThrow().credited()).isEqualTo(137L);
    }
  }

  @Test
  void aSecondLiveMemberWithTheSameWriterNameIsRefused() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, BUCKETS).startAll()) {
      TestNodes impostors = new TestNodes(dir.resolve("impostor"), 1, BUCKETS);
      var config = impostors.configJoining(0, "ledger-2", cluster.configs());
      assertRefused(config);
      assertThat(cluster.api(1).get("/v1/node").json().get("ready").asBoolean()).isTrue();
    }
  }

  @Test
  void aNodeWithAnotherBucketCountIsRefusedWhenItJoins() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 1, BUCKETS).startAll()) {
      TestNodes other = new TestNodes(dir.resolve("other"), 1, BUCKETS * 2);
      var config = other.configJoining(0, "ledger-9", cluster.configs());
      assertRefused(config);
      assertThat(cluster.api(0).get("/v1/cluster").json().get("members").size()).isEqualTo(1);
    }
  }

  /** The node refuses to run (it does not rejoin) without ever taking writes. */
  private static void assertRefused(com.typesafe.config.Config config) throws Exception {
    LedgerNode node = LedgerNode.start(config);
    try {
      assertThat(node.refused().get(60, TimeUnit.SECONDS)).isNotBlank();
      assertThat(node.clusterIncarnation()).isEqualTo(1);
      assertThat(node.started()).isNotDone();
    } finally {
      node.close();
    }
  }

  /** Posts adjustments through every node at once; returns the expected balance per account. */
  private static Map<String, Long> adjustConcurrently(TestCluster cluster, int perNode) {
    Map<String, Long> expected = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        int node = n;
        work.add(
            pool.submit(
                () -> {
                  Random random = new Random(node);
                  ApiClient api = cluster.api(node);
                  for (int i = 0; i < perNode; i++) {
                    String account = "acct-" + random.nextInt(12);
                    long points = random.nextInt(200) - 50;
                    if (points == 0) {
                      points = 1;
                    }
                    Answer answer = api.adjust(account, "n" + node + "-" + i, points, "load");
                    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
                    expected.merge(account, points, Long::sum);
                  }
                }));
      }
      for (Future<?> f : work) {
        f.get(120, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
    return new TreeMap<>(expected);
  }
}
