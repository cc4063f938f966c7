package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.ledger.writer.IdempotentResult.Executed;
import io.loyaltyledger.ledger.writer.IdempotentResult.KeyReused;
import io.loyaltyledger.ledger.writer.IdempotentResult.Replayed;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotentCommandsTest {

  @TempDir Path dir;
  private WriterDatabase db;
  private LedgerRows rows;
  private IdempotentCommands commands;
  private final AtomicInteger commits = new AtomicInteger();
  private final AtomicInteger executions = new AtomicInteger();

  @BeforeEach
  void open() {
    db = TestWriters.open(dir);
    rows = new LedgerRows(db, TestWriters.bucketOf());
    commands = new IdempotentCommands(db, commits::incrementAndGet);
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** Credits 10 points to alice and answers with the row's version. */
  private SqlWork<StoredResponse> creditAlice() {
    return tx -> {
      executions.incrementAndGet();
      long version = rows.add(tx, "alice", 10, 0);
      return new StoredResponse(201, "{\"version\":" + version + "}");
    };
  }

  private long aliceCredited() {
    return rows.row("alice").map(StoredRow::credited).orElse(0L);
  }

  @Test
  void aRetryReplaysTheStoredResponseWithoutASecondEffect() {
    IdempotentResult first = commands.execute("k1", "fp", creditAlice());
    IdempotentResult second = commands.execute("k1", "fp", creditAlice());

    assertThat(first).isEqualTo(new Executed(new StoredResponse(201, "{\"version\":1}")));
    assertThat(second).isEqualTo(new Replayed(new StoredResponse(201, "{\"version\":1}")));
    assertThat(aliceCredited()).isEqualTo(10);
    assertThat(executions).hasValue(1);
    assertThat(commits).as("onCommit after fresh executions only").hasValue(1);
  }

  @Test
  void aKeyReusedForAnotherRequestIsRefused() {
    commands.execute("k1", "fp-a", creditAlice());
    assertThat(commands.execute("k1", "fp-b", creditAlice())).isInstanceOf(KeyReused.class);
    assertThat(aliceCredited()).isEqualTo(10);
    assertThat(executions).hasValue(1);
  }

  @Test
  void aRejectedCommandStoresNothing() {
    assertThatThrownBy(() -> commands.execute("k1", "fp", tx -> {
      rows.add(tx, "alice", 10, 0);
      throw new RejectedCommand(409, "insufficient_points", "not enough points");
    })).isInstanceOfSatisfying(RejectedCommand.class, e -> {
      assertThat(e.status()).isEqualTo(409);
      assertThat(e.errorCode()).isEqualTo("insufficient_points");
    });
    assertThat(aliceCredited()).isZero();
    assertThat(TestWriters.count(db, "idempotency_record")).isZero();
    assertThat(commits).hasValue(0);

    // the key is still free: the corrected request runs
    assertThat(commands.execute("k1", "fp", creditAlice())).isInstanceOf(Executed.class);
    assertThat(aliceCredited()).isEqualTo(10);
  }

  @Test
  void anyOtherFailureStoresNothingEither() {
    assertThatThrownBy(() -> commands.execute("k1", "fp", tx -> {
      rows.add(tx, "alice", 10, 0);
      throw new IllegalStateException("bug");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(aliceCredited()).isZero();
    assertThat(TestWriters.count(db, "idempotency_record")).isZero();
  }

  @Test
  void concurrentExecutionsOfOneKeyHaveExactlyOneEffect() throws Exception {
    int threads = 8;
    for (int round = 0; round < 5; round++) {
      String key = "concurrent-" + round;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<IdempotentResult>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          return commands.execute(key, "fp", creditAlice());
        }));
      }
      start.countDown();
      List<IdempotentResult> results = new ArrayList<>();
      for (Future<IdempotentResult> f : futures) {
        results.add(f.get());
      }
      pool.shutdown();

      assertThat(results).filteredOn(r -> r instanceof Executed).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof Replayed).hasSize(threads - 1);
      StoredResponse response = ((Executed) results.stream()
          .filter(r -> r instanceof Executed).findFirst().orElseThrow()).response();
      assertThat(results).allSatisfy(r -> assertThat(r)
          .isIn(new Executed(response), new Replayed(response)));
      assertThat(aliceCredited()).isEqualTo(10L * (round + 1));
    }
    assertThat(commits).hasValue(5);
  }

  @Test
  void oldKeysCanBeForgotten() {
    commands.execute("k1", "fp", creditAlice());
    assertThat(commands.forgetOlderThan(Instant.now().minusSeconds(3600))).isZero();
    assertThat(commands.forgetOlderThan(Instant.now().plusSeconds(1))).isEqualTo(1);
    assertThat(commands.execute("k1", "fp", creditAlice())).isInstanceOf(Executed.class);
  }

  @Test
  void refusesInvalidKeys() {
    assertThatThrownBy(() -> commands.execute("", "fp", creditAlice()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> commands.execute("k".repeat(256), "fp", creditAlice()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
