package io.loyaltyledger.ledger.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.ledger.writer.WriterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The donor actor's answers, with a real writer database behind it and no cluster around it. */
class TransferServiceTest {

  private static final WriterKey REQUESTER = WriterKey.of("order-2", "0badc0de");

  private static ActorTestKit kit;
  private final ExecutorService jdbc = Executors.newFixedThreadPool(2);

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @AfterEach
  void stopThreads() {
    jdbc.shutdownNow();
  }

  @Test
  void aDonorWhoseTransactionFailsStillAnswersSoTheRequesterNeedNotWaitForItsTimeout() {
    WriterDatabase db = WriterDatabase.open(WriterSettings.h2File("ledger-1", dir.resolve("w")), 64);
    LedgerRows rows = new LedgerRows(db, new BucketIds(64)::bucketOf);
    rows.markVerified();
    ReplicaAccounts noReplica = new ReplicaAccounts() {
      @Override
      public Account read(String accountId) {
        return Account.EMPTY;
      }

      @Override
      public void adopt(String accountId, WriterKey writer, Row row) {}
    };
    TransferDonor donor = new TransferDonor(db, rows, new OwnRights(rows, noReplica, db.writerKey()),
        new StripedLocks(16), () -> {}, Duration.ofSeconds(1));
    ActorRef<TransferMessage.Request> service =
        kit.spawn(TransferService.donor(db.writerKey(), donor, jdbc));
    db.close(); // every transaction of the donor fails from now on

    TestProbe<TransferMessage.Reply> requester = kit.createTestProbe();
    service.tell(new TransferMessage.Request("t-1", "ann", REQUESTER, 10, requester.getRef()));

    TransferMessage.Reply reply = requester.receiveMessage(Duration.ofSeconds(10));
    assertThat(reply.transferId()).isEqualTo("t-1");
    assertThat(reply.given()).isZero();
    assertThat(reply.row()).isNull();
    assertThat(reply.refusal()).startsWith("failed: ");
  }
}
