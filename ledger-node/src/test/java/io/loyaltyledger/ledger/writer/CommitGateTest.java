package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommitGateTest {

  private final CommitGate gate = new CommitGate();

  @Test
  void aReaderWaitsForTheCommitInProgressToReturn() throws Exception {
    CountDownLatch committing = new CountDownLatch(1);
    CountDownLatch written = new CountDownLatch(1);
    CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> pass(() -> {
      committing.countDown();
      await(written); // visible to other connections, not yet on disk
    }));
    assertThat(committing.await(30, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> reader = CompletableFuture.runAsync(gate::awaitInProgress);
    // the reader may not go on while the commit runs, however long that is
    assertThat(reader).isNotDone();
    TimeUnit.MILLISECONDS.sleep(200);
    assertThat(reader).isNotDone();

    written.countDown();
    reader.get(30, TimeUnit.SECONDS);
    commit.get(30, TimeUnit.SECONDS);
  }

  @Test
  void withNoCommitInProgressTheReaderGoesOnAtOnce() throws Exception {
    pass(() -> {});
    CompletableFuture.runAsync(gate::awaitInProgress).get(30, TimeUnit.SECONDS);
  }

  private void pass(CommitGate.Commit commit) {
    try {
      gate.pass(commit);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
