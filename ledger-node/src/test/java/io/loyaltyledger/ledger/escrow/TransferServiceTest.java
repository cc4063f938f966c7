package io.loyaltyledger.ledger.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.ledger.writer.WriterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfer answers between a donor actor and a requester: real writer databases, no cluster. */
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

  /**
   * A reply that is not to this request (another transfer id: a late answer reaching a reused
   * temporary actor) must not be merged: its row may be another account's, and merging it would
   * move this account's balance on every replica.
   */
  @Test
  void aReplyToAnotherTransferIsNotAdopted() {
    WriterKey donorKey = WriterKey.of("ledger-2", "7e57d0d0");
    kit.spawn(Behaviors.<TransferMessage.Request>setup(context -> {
      context.getSystem().receptionist()
          .tell(Receptionist.register(TransferService.key(donorKey), context.getSelf()));
      return Behaviors.receiveMessage(request -> {
        request.replyTo().tell(new TransferMessage.Reply(
            "someone-else", donorKey, 40, Row.of(500, 460, 9), null));
        return Behaviors.same();
      });
    }));
    WriterDatabase db = WriterDatabase.open(WriterSettings.h2File("order-1", dir.resolve("r")), 64);
    LedgerRows rows = new LedgerRows(db, new BucketIds(64)::bucketOf);
    List<Row> adopted = new CopyOnWriteArrayList<>();
    ReplicaAccounts replica = new ReplicaAccounts() {
      @Override
      public Account read(String accountId) {
        return Account.EMPTY.withRow(donorKey, Row.of(100, 0, 1)); // the donor holds 100
      }

      @Override
      public void adopt(String accountId, WriterKey writer, Row row) {
        adopted.add(row);
      }
    };
    TransferRequester requester = new TransferRequester(
        () -> Optional.<ActorSystem<?>>of(kit.system()), replica,
        new OwnRights(rows, replica, db.writerKey()),
        new TransferSettings(Duration.ofSeconds(3), Duration.ofMillis(500), 1, Duration.ofSeconds(1)));
    try {
      // the donor's registration reaches the receptionist asynchronously
      await().atMost(10, TimeUnit.SECONDS)
          .until(() -> TransferListings.lists(kit.system(), donorKey));
      TransferRequester.Outcome outcome =
          requester.request("ann", 10, System.nanoTime() + 3_000_000_000L);
      assertThat(outcome.received()).isZero();
      assertThat(outcome.someSilent()).isTrue();
      assertThat(adopted).isEmpty();
    } finally {
      db.close();
    }
  }
}
