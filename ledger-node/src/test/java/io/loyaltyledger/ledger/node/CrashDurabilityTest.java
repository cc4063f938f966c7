package io.loyaltyledger.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltyledger.ledger.node.ApiClient.Answer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process killed with {@code kill -9} under load loses no acknowledged adjustment (the
 * writer's commit is on disk before the answer), and retries of every key count once.
 */
class CrashDurabilityTest {

  private static final int WRITERS = 2;
  private static final int ACKS_BEFORE_KILL = 150;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedCommitSurvivesKillMinus9() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<String> unknown = new CopyOnWriteArrayList<>();
    try (NodeProcess node = new NodeProcess(dir, "ledger-1").start()) {
      ApiClient api = new ApiClient(node.httpPort());
      CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
      CountDownLatch done = new CountDownLatch(WRITERS);
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; ; i++) {
                      String key = "crash-" + writer + "-" + i;
                      try {
                        Answer answer = api.adjust("crash", key, 1, "load");
                        if (answer.status() != 201) {
                          throw new AssertionError(answer.toString());
                        }
                        acknowledged.add(key);
                        enough.countDown();
                      } catch (UncheckedIOException e) {
                        // The process died under this request: it may or may not have committed.
                        unknown.add(key);
                        return;
                      }
                    }
                  } finally {
                    done.countDown();
                  }
                });
        thread.start();
      }
      assertThat(enough.await(120, TimeUnit.SECONDS)).isTrue();
      node.kill();
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();

      node.start();
      // Every acknowledged key is in the database: its retry is a replay, not a new effect.
      for (String key : acknowledged) {
        Answer retry = api.adjust("crash", key, 1, "load");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.replayed()).as("acknowledged %s was lost", key).isTrue();
      }
      for (String key : unknown) {
        assertThat(api.adjust("crash", key, 1, "load").status()).isEqualTo(201);
      }
      long expected = acknowledged.size() + unknown.size();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.balance("crash") == expected);
    }
  }
}
