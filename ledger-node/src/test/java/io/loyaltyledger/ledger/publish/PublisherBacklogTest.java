package io.loyaltyledger.ledger.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltyledger.ledger.crdt.Bucket;
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
 * A backlog many rounds long: rounds read ahead while they wait for acknowledgements and leave
 * the published marks for later, yet every row reaches the replica once and ends up marked.
 */
class PublisherBacklogTest {

  private static final int BUCKETS = 16;
  private static final int ROWS = 600;

  @TempDir Path dir;

  @Test
  void aBacklogOfManyRoundsIsPublishedOnceAndMarked() throws Exception {
    TestNodes nodes =
        new TestNodes(dir, 1, BUCKETS)
            // About 80 rows per round, and marks written while the backlog is still being sent.
            .with("loyalty.publisher.byte-budget-per-tick", "2KiB")
            .with("loyalty.publisher.max-unmarked-rows", 150);
    try (LedgerNode node = LedgerNode.start(nodes.config(0))) {
      node.started().get(60, TimeUnit.SECONDS);
      node.database().inTransaction(tx -> {
        for (int i = 0; i < ROWS; i++) {
          node.rows().add(tx, account(i), i + 1, 0);
        }
        return null;
      });
      node.publisher().nudge();

      BucketIds buckets = new BucketIds(BUCKETS);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (int i = 0; i < ROWS; i++) {
          Bucket bucket =
              node.replica().read(buckets.bucketOf(account(i)), ReadLevel.local())
                  .toCompletableFuture().get(5, TimeUnit.SECONDS);
          assertThat(bucket.account(account(i)).balance()).isEqualTo(i + 1);
        }
      });
      await().atMost(Duration.ofSeconds(60)).until(() -> node.rows().pendingCount() == 0);
      // Acknowledged once each: nothing read ahead or left unmarked was sent a second time.
      assertThat(node.publisher().publishedRows()).isEqualTo(ROWS);
    }
  }

  private static String account(int i) {
    return String.format("backlog-%04d", i);
  }
}
