package io.loyaltyledger.ledger.writer;

import io.loyaltyledger.ledger.writer.IdempotentResult.Executed;
import io.loyaltyledger.ledger.writer.IdempotentResult.KeyReused;
import io.loyaltyledger.ledger.writer.IdempotentResult.Replayed;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands exactly once per idempotency key: the command's effect and the record of its
 * response commit in one transaction, so a retry can never repeat the effect. Keys are scoped to
 * this writer's database.
 */
public final class IdempotentCommands {

  private static final Logger log = LoggerFactory.getLogger(IdempotentCommands.class);
  /** A key whose first holder rolled back is claimed again; this bounds such rounds. */
  private static final int MAX_ROUNDS = 5;

  private final WriterDatabase db;
  private final Runnable onCommit;

  /** @param onCommit runs after each fresh execution commits (it nudges the publisher) */
  public IdempotentCommands(WriterDatabase db, Runnable onCommit) {
    this.db = Objects.requireNonNull(db);
    this.onCommit = Objects.requireNonNull(onCommit);
  }

  /**
   * Runs {@code work} once for {@code key}. A key stored with the same fingerprint replays the
   * stored response; with another fingerprint it answers {@link KeyReused}. Of two concurrent
   * executions of one key, one runs and the other replays. A {@link RejectedCommand} thrown by
   * the work rolls everything back, stores nothing, and is rethrown.
   *
   * @param fingerprint a digest of the request (at most 64 chars), see {@link CommandFingerprint}
   */
  public IdempotentResult execute(String key, String fingerprint, SqlWork<StoredResponse> work) {
    if (key == null || key.isBlank() || key.length() > 255) {
      throw new IllegalArgumentException("idempotency key must have 1..255 characters");
    }
    if (fingerprint == null || fingerprint.isEmpty() || fingerprint.length() > 64) {
      throw new IllegalArgumentException("fingerprint must have 1..64 characters");
    }
    Objects.requireNonNull(work, "work");
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      try {
        // Claim first, look second: a fresh key (the common case) costs no lookup, and a stored
        // one makes the claim fail, which rolls this transaction back before any work ran.
        Executed executed = db.inTransaction(tx -> {
          try {
            IdempotencyRecords.claim(tx, key, fingerprint);
          } catch (SQLException e) {
            if (SqlFailures.isDuplicateKey(e)) {
              throw new ClaimedMeanwhile(); // rolls back this transaction
            }
            throw e;
          }
          StoredResponse response = Objects.requireNonNull(work.apply(tx), "work's response");
          IdempotencyRecords.complete(tx, key, response);
          return new Executed(response);
        });
        nudge();
        return executed;
      } catch (ClaimedMeanwhile e) {
        // The key is stored (a retry), or a concurrent execution holding it has committed:
        // answer with its record.
        Optional<IdempotencyRecords.Record> stored =
            db.inTransaction(tx -> IdempotencyRecords.find(tx, key));
        if (stored.isPresent()) {
          // The stored answer may belong to a commit still being written: acknowledge it once it
          // would survive a crash (see WriterDatabase#awaitCommitsInProgress).
          db.awaitCommitsInProgress();
          return answer(stored.get(), fingerprint);
        }
        // It rolled back (or the record expired) in between: claim the key again.
      }
    }
    throw new IllegalStateException("idempotency key " + key + " stayed contended");
  }

  private static IdempotentResult answer(IdempotencyRecords.Record stored, String fingerprint) {
    return stored.fingerprint().equals(fingerprint)
        ? new Replayed(stored.response())
        : new KeyReused();
  }

  private void nudge() {
    try {
      onCommit.run();
    } catch (RuntimeException e) {
      // The command is committed; the publisher will find the row pending anyway.
      log.warn("onCommit callback failed", e);
    }
  }

  /** Forgets keys stored before {@code cutoff} (keep them at least 24 h); returns how many. */
  public int forgetOlderThan(Instant cutoff) {
    return db.inTransaction(tx -> IdempotencyRecords.deleteOlderThan(tx, cutoff));
  }

  /** Another transaction holds or held the key; signals a rollback and a look at its record. */
  private static final class ClaimedMeanwhile extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClaimedMeanwhile() {
      super(null, null, false, false);
    }
  }
}
