package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyaltyledger.ledger.writer.IdempotentResult.Executed;
import io.loyaltyledger.ledger.writer.IdempotentResult.KeyReused;
import io.loyaltyledger.ledger.writer.IdempotentResult.Replayed;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdjustmentsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private WriterDatabase db;
  private LedgerRows rows;
  private Adjustments adjustments;
  private final AtomicInteger nudges = new AtomicInteger();

  @BeforeEach
  void open() {
    db = TestWriters.open(dir);
    rows = new LedgerRows(db, TestWriters.bucketOf());
    adjustments = new Adjustments(db, rows,
        new IdempotentCommands(db, nudges::incrementAndGet));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aCreditAnswers201WithTheAdjustmentAndAReadYourWritesToken() throws Exception {
    IdempotentResult result = adjustments.adjust("key-1", "alice", 250, "welcome bonus");

    assertThat(result).isInstanceOf(Executed.class);
    StoredResponse response = ((Executed) result).response();
    assertThat(response.status()).isEqualTo(201);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("adjustmentId").asText()).matches("[0-9a-f-]{36}");
    assertThat(body.get("accountId").asText()).isEqualTo("alice");
    assertThat(body.get("points").asLong()).isEqualTo(250);
    assertThat(body.get("reason").asText()).isEqualTo("welcome bonus");
    assertThat(body.get("token").asText()).isEqualTo(db.writerKey() + ":1");
    assertThat(response.body()).as("compact, fields in order")
        .isEqualTo(JSON.writeValueAsString(body)).startsWith("{\"adjustmentId\":");

    assertThat(rows.row("alice").orElseThrow().credited()).isEqualTo(250);
    assertThat(adjustmentRecord(body.get("adjustmentId").asText()))
        .containsExactly("alice", "250", "welcome bonus", "key-1", "1");
    assertThat(nudges).hasValue(1);
  }

  @Test
  void aDebitIsForcedAndMayDriveTheBalanceNegative() throws Exception {
    adjustments.adjust("k1", "alice", 10, "bonus");
    IdempotentResult result = adjustments.adjust("k2", "alice", -25, "clawback");

    StoredRow alice = rows.row("alice").orElseThrow();
    assertThat(alice.credited()).isEqualTo(10);
    assertThat(alice.debited()).isEqualTo(25);
    assertThat(alice.credited() - alice.debited()).isEqualTo(-15);
    JsonNode body = JSON.readTree(((Executed) result).response().body());
    assertThat(body.get("points").asLong()).isEqualTo(-25);
    assertThat(body.get("token").asText()).endsWith(":2");
  }

  @Test
  void aRetryReplaysTheSameResponseAndAdjustsOnce() {
    StoredResponse first = ((Executed) adjustments.adjust("k1", "alice", 10, "bonus")).response();
    IdempotentResult retry = adjustments.adjust("k1", "alice", 10, "bonus");

    assertThat(retry).isEqualTo(new Replayed(first));
    assertThat(rows.row("alice").orElseThrow().credited()).isEqualTo(10);
    assertThat(TestWriters.count(db, "adjustment")).isEqualTo(1);
    assertThat(nudges).hasValue(1);
  }

  @Test
  void theSameKeyWithAnotherRequestIsRefused() {
    adjustments.adjust("k1", "alice", 10, "bonus");
    assertThat(adjustments.adjust("k1", "alice", 10, "other reason"))
        .isInstanceOf(KeyReused.class);
    assertThat(adjustments.adjust("k1", "alice", 11, "bonus")).isInstanceOf(KeyReused.class);
    assertThat(adjustments.adjust("k1", "bob", 10, "bonus")).isInstanceOf(KeyReused.class);
    assertThat(TestWriters.count(db, "adjustment")).isEqualTo(1);
  }

  @Test
  void passingTheLedgerLimitStoresNothing() {
    adjustments.adjust("k1", "alice", LedgerRows.LIMIT, "max");
    assertThatThrownBy(() -> adjustments.adjust("k2", "alice", 1, "one too many"))
        .isInstanceOf(LedgerLimitExceededException.class);
    assertThatThrownBy(() -> adjustments.adjust("k3", "alice", Long.MIN_VALUE, "min"))
        .isInstanceOf(LedgerLimitExceededException.class);
    assertThat(TestWriters.count(db, "adjustment")).isEqualTo(1);
    assertThat(TestWriters.count(db, "idempotency_record")).isEqualTo(1);
  }

  @Test
  void guardsAgainstInvalidInput() {
    assertThatThrownBy(() -> adjustments.adjust("k", "alice", 0, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> adjustments.adjust("k", "", 1, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> adjustments.adjust("k", "alice", 1, "x".repeat(501)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fingerprintsAreCanonical() {
    assertThat(CommandFingerprint.of("adjustment/v1", "a", 1L, "b"))
        .hasSize(64)
        .isEqualTo(CommandFingerprint.of("adjustment/v1", "a", 1L, "b"))
        .isNotEqualTo(CommandFingerprint.of("adjustment/v1", "a\",1,\"", 1L, "b"))
        .isNotEqualTo(CommandFingerprint.of("order/v1", "a", 1L, "b"));
  }

  private List<String> adjustmentRecord(String adjustmentId) {
    return db.inTransaction(tx -> {
      try (PreparedStatement ps = tx.prepareStatement(
          "SELECT account_id, points, reason, idem_key, row_version FROM adjustment "
              + "WHERE adjustment_id = ?")) {
        ps.setString(1, adjustmentId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return List.of(rs.getString(1), String.valueOf(rs.getLong(2)), rs.getString(3),
              rs.getString(4), String.valueOf(rs.getLong(5)));
        }
      }
    });
  }
}
