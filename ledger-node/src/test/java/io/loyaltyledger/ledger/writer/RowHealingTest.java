package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltyledger.ledger.crdt.WriterKey;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes backwards (an older copy of the H2 file is put back) while the replica still
 * holds the newer row; healing must lose nothing and count nothing twice.
 */
class RowHealingTest {

  private static final WriterKey ORDER_2 = WriterKey.of("order-2", "0badcafe");

  @TempDir Path dir;
  private WriterDatabase db;
  private LedgerRows rows;

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  private void open() {
    db = TestWriters.open(dir);
    rows = new LedgerRows(db, TestWriters.bucketOf());
  }

  private void reopen() {
    db.close();
    open();
  }

  private long add(String account, long credit, long debit) {
    return db.inTransaction(tx -> rows.add(tx, account, credit, debit));
  }

  private HealResult heal(StoredRow replica) {
    return rows.heal(replica.accountId(), replica.credited(), replica.debited(),
        replica.version(), new TreeMap<>(replica.sent()));
  }

  /**
   * Writes 100 credited (verified), keeps a backup, writes more, and returns the replica's row
   * (what the cluster saw before the restore). The database is back at the backup afterwards.
   */
  private StoredRow restoreAnOlderCopy() throws Exception {
    open();
    add("alice", 100, 0);
    rows.markVerified();
    db.close();
    Path backup = dir.resolve("backup.mv.db");
    TestWriters.copy(TestWriters.databaseFile(dir), backup);

    open();
    add("alice", 50, 0);
    add("alice", 0, 30);
    add("bob", 7, 0);
    StoredRow replica = rows.row("alice").orElseThrow();
    db.close();

    TestWriters.copy(backup, TestWriters.databaseFile(dir));
    open();
    assertThat(rows.row("alice").orElseThrow().credited()).as("restored").isEqualTo(100);
    return replica;
  }

  @Test
  void transfersGivenAfterTheRestoreAreKeptOnTopOfTheTransfersTheReplicaHolds() throws Exception {
    open();
    add("tia", 100, 0);
    rows.markVerified();
    db.close();
    Path backup = dir.resolve("backup.mv.db");
    TestWriters.copy(TestWriters.databaseFile(dir), backup);
    open();
    db.inTransaction(tx -> rows.addSent(tx, "tia", ORDER_2, 30));
    StoredRow replica = rows.row("tia").orElseThrow();
    assertThat(replica.sent()).isEqualTo(Map.of(ORDER_2, 30L));
    db.close();
    TestWriters.copy(backup, TestWriters.databaseFile(dir));
    open();

    // In the new epoch, before healing: a new transfer of 10 (and one more to an existing entry).
    db.inTransaction(tx -> rows.addSent(tx, "tia", ORDER_2, 10));
    HealResult healed = heal(replica);
    assertThat(healed.healed()).isTrue();
    assertThat(healed.after().sent()).as("30 from the replica + 10 given since the restore")
        .isEqualTo(Map.of(ORDER_2, 40L));
    assertThat(healed.after().credited()).isEqualTo(100);
    db.inTransaction(tx -> rows.addSent(tx, "tia", ORDER_2, 5));
    assertThat(heal(replica).healed()).as("healing twice changes nothing").isFalse();
    assertThat(rows.row("tia").orElseThrow().sent()).isEqualTo(Map.of(ORDER_2, 45L));
  }

  @Test
  void restoredDatabaseAdoptsTheReplicasRow() throws Exception {
    StoredRow replica = restoreAnOlderCopy();
    assertThat(replica.credited()).isEqualTo(150);

    HealResult result = heal(replica);

    assertThat(result.healed()).isTrue();
    assertThat(result.before().orElseThrow().credited()).isEqualTo(100);
    StoredRow healed = rows.row("alice").orElseThrow();
    assertThat(healed.credited()).isEqualTo(replica.credited());
    assertThat(healed.debited()).isEqualTo(replica.debited());
    assertThat(healed.version()).isEqualTo(replica.version() + 1);
    assertThat(healed.pending()).isTrue();
    assertThat(result.after()).isEqualTo(healed);
  }

  @Test
  void changesOfTheNewEpochAreReappliedOnTopOfTheReplica() throws Exception {
    StoredRow replica = restoreAnOlderCopy(); // credited 150, debited 30, version 3
    add("alice", 20, 0);
    add("alice", 0, 5);

    heal(replica);

    StoredRow healed = rows.row("alice").orElseThrow();
    assertThat(healed.credited()).isEqualTo(150 + 20);
    assertThat(healed.debited()).isEqualTo(30 + 5);
    assertThat(healed.version()).isEqualTo(4);

    // changes after the heal simply continue
    assertThat(add("alice", 1, 0)).isEqualTo(5);
    assertThat(rows.row("alice").orElseThrow().credited()).isEqualTo(171);
  }

  /**
   * In a verified epoch the replica already holds what this epoch published, so a row above the
   * database (merged from elsewhere: no restore explains it) is adopted as a maximum; adding the
   * epoch's changes on top, as for a restored database, would count them twice.
   */
  @Test
  void aVerifiedEpochAdoptsAHigherReplicaRowWithoutAddingItsChangesAgain() {
    open();
    rows.markVerified();
    add("ann", 100, 0);
    add("ann", 0, 40); // published: the replica holds credited 100, debited 40
    StoredRow injected = new StoredRow("ann", 0, 100, 60, 9, 0, new TreeMap<>());

    HealResult result = heal(injected);

    assertThat(result.healed()).isTrue();
    StoredRow healed = rows.row("ann").orElseThrow();
    assertThat(healed.credited()).as("max(100, 100), not 100 + 100").isEqualTo(100);
    assertThat(healed.debited()).as("max(40, 60), not 60 + 40").isEqualTo(60);
    assertThat(healed.version()).isEqualTo(10);
    assertThat(add("ann", 0, 5)).as("later changes continue above it").isEqualTo(11);
    assertThat(rows.row("ann").orElseThrow().debited()).isEqualTo(65);
  }

  @Test
  void healingTwiceWithTheSameReplicaChangesNothingTheSecondTime() throws Exception {
    StoredRow replica = restoreAnOlderCopy();
    add("alice", 20, 0);
    heal(replica);
    StoredRow once = rows.row("alice").orElseThrow();

    HealResult again = heal(replica);

    assertThat(again.healed()).isFalse();
    assertThat(rows.row("alice").orElseThrow()).isEqualTo(once);
    assertThat(again.after()).isEqualTo(once);
  }

  @Test
  void healingSurvivesARestartInTheSameUnverifiedEpoch() throws Exception {
    StoredRow replica = restoreAnOlderCopy();
    add("alice", 20, 0);
    reopen(); // crash before the reconciler ran: the epoch and its bases are kept
    add("alice", 3, 0);

    heal(replica);

    assertThat(rows.row("alice").orElseThrow().credited()).isEqualTo(150 + 20 + 3);
  }

  @Test
  void aRowTheDatabaseLostEntirelyIsRecreated() throws Exception {
    restoreAnOlderCopy();
    HealResult result = rows.heal("carol", 40, 2, 3, new TreeMap<>(Map.of(ORDER_2, 6L)));

    assertThat(result.before()).isEmpty();
    StoredRow carol = rows.row("carol").orElseThrow();
    assertThat(carol.credited()).isEqualTo(40);
    assertThat(carol.debited()).isEqualTo(2);
    assertThat(carol.version()).isEqualTo(4);
    assertThat(carol.sent()).containsExactly(Map.entry(ORDER_2, 6L));
    assertThat(carol.bucket()).isEqualTo(TestWriters.bucketOf().applyAsInt("carol"));
    assertThat(carol.pending()).isTrue();

    // a later add in this epoch lands on top, and the same replica stays covered
    add("carol", 5, 0);
    assertThat(rows.heal("carol", 40, 2, 3, new TreeMap<>(Map.of(ORDER_2, 6L))).healed())
        .isFalse();
    assertThat(rows.row("carol").orElseThrow().credited()).isEqualTo(45);
  }

  @Test
  void sentEntriesHealLikeTheRowsFields() throws Exception {
    StoredRow replica = restoreAnOlderCopy();
    WriterKey order3 = WriterKey.of("order-3", "12345678");
    TestWriters.putSent(db, "alice", ORDER_2.value(), 10);
    SortedMap<WriterKey, Long> replicaSent = new TreeMap<>(Map.of(ORDER_2, 15L, order3, 4L));

    rows.heal("alice", replica.credited(), replica.debited(), replica.version(), replicaSent);

    StoredRow healed = rows.row("alice").orElseThrow();
    // the db's entry was not changed in this epoch (epoch 0): it adopts the replica
    assertThat(healed.sent()).containsExactly(Map.entry(ORDER_2, 15L), Map.entry(order3, 4L));
    assertThat(rows.heal("alice", replica.credited(), replica.debited(), replica.version(),
        replicaSent).healed()).isFalse();
  }

  @Test
  void aReplicaThatIsNotAheadChangesNothing() throws Exception {
    open();
    add("alice", 10, 0);
    add("alice", 10, 0);
    StoredRow row = rows.row("alice").orElseThrow();

    HealResult result = rows.heal("alice", 10, 0, 1, new TreeMap<>());

    assertThat(result.healed()).isFalse();
    assertThat(rows.row("alice").orElseThrow()).isEqualTo(row);
  }
}
