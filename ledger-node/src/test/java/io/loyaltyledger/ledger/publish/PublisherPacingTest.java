package io.loyaltyledger.ledger.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.ledger.replica.ReadLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rounds spend the byte budget pro rata: after a round of one row the next commit is published at
 * once, not a whole tick later. The tick here is far longer than the wait allowed, so only the
 * pro-rata pause lets the second row through in time.
 */
class PublisherPacingTest {

  private static final int BUCKETS = 16;

  @TempDir Path dir;

  @Test
  void aCommitAfterASmallRoundDoesNotWaitForTheTick() throws Exception {
    TestNodes nodes = new TestNodes(dir, 1, BUCKETS).with("loyalty.publisher.tick", "60s");
    try (LedgerNode node = LedgerNode.start(nodes.config(0))) {
      node.started().get(60, TimeUnit.SECONDS);
      commit(node, "pacing-first", 5);
      awaitBalance(node, "pacing-first", 5);

      commit(node, "pacing-second", 7);
      awaitBalance(node, "pacing-second", 7);
      assertThat(node.publisher().publishedRows()).isEqualTo(2);
    }
  }

  private static void commit(LedgerNode node, String account, long points) {
    node.database().inTransaction(tx -> node.rows().add(tx, account, points, 0));
    node.publisher().nudge();
  }

  /** Well below the 60 s tick: a round paced by the whole tick could not make it. */
  private static void awaitBalance(LedgerNode node, String account, long balance) {
    int bucket = new BucketIds(BUCKETS).bucketOf(account);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(node.replica().read(bucket, ReadLevel.local()).toCompletableFuture()
            .get(5, TimeUnit.SECONDS).account(account).balance()).isEqualTo(balance));
  }
}
