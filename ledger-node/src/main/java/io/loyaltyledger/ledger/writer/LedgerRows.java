package io.loyaltyledger.ledger.writer;

import io.loyaltyledger.ledger.crdt.WriterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * This writer's ledger rows, one per account: absolute, only-growing totals that the publisher
 * copies into the replicated buckets. Every change increments the row's version in the same
 * UPDATE, so versions are gapless per row and commit order equals version order.
 */
public final class LedgerRows {

  /** No row total may pass 2^62 (headroom for sums over rows). */
  public static final long LIMIT = 1L << 62;

  private static final String ADD =
      "UPDATE ledger_row SET "
          // first change in this epoch: remember where the epoch started (for healing)
          + "base_credited = CASE WHEN epoch < ? THEN credited ELSE base_credited END, "
          + "base_debited = CASE WHEN epoch < ? THEN debited ELSE base_debited END, "
          + "base_version = CASE WHEN epoch < ? THEN version ELSE base_version END, "
          + "epoch = ?, credited = credited + ?, debited = debited + ?, "
          + "version = version + 1, pending = TRUE "
          + "WHERE account_id = ? AND credited <= ? AND debited <= ?";
  private static final String INSERT =
      "INSERT INTO ledger_row (account_id, bucket, credited, debited, version, published_version,"
          + " pending, epoch, base_credited, base_debited, base_version)"
          + " VALUES (?, ?, ?, ?, 1, 0, TRUE, ?, 0, 0, 0)";
  /** A change of the row's sent map only: version up, pending, epoch bookkeeping as in ADD. */
  private static final String TOUCH =
      "UPDATE ledger_row SET "
          + "base_credited = CASE WHEN epoch < ? THEN credited ELSE base_credited END, "
          + "base_debited = CASE WHEN epoch < ? THEN debited ELSE base_debited END, "
          + "base_version = CASE WHEN epoch < ? THEN version ELSE base_version END, "
          + "epoch = ?, version = version + 1, pending = TRUE WHERE account_id = ?";
  /** A sent entry remembers its amount at the start of the epoch, like the row's fields. */
  private static final String ADD_SENT =
      "UPDATE ledger_row_sent SET "
          + "base_amount = CASE WHEN epoch < ? THEN amount ELSE base_amount END, "
          + "epoch = ?, amount = amount + ? "
          + "WHERE account_id = ? AND to_writer = ? AND amount <= ?";
  private static final String TOTALS =
      "SELECT credited, debited, version FROM ledger_row WHERE account_id = ?";
  /** published_version only moves up, and never past the row's version. */
  private static final String MARK_PUBLISHED =
      "UPDATE ledger_row SET published_version = GREATEST(published_version, ?), "
          + "pending = (version > GREATEST(published_version, ?)) "
          + "WHERE account_id = ? AND published_version < ? AND version >= ?";
  /** The column an ADD hands back: the row's version after the change. */
  private static final String[] VERSION_COLUMN = {"version"};
  /** Concurrent first inserts of one account resolve within a few rounds. */
  private static final int MAX_UPSERT_ROUNDS = 10;

  private final WriterDatabase db;
  private final ToIntFunction<String> bucketOf;
  private final RowHealer healer;

  public LedgerRows(WriterDatabase db, ToIntFunction<String> bucketOf) {
    this.db = Objects.requireNonNull(db);
    this.bucketOf = inRange(Objects.requireNonNull(bucketOf), db.buckets());
    this.healer = new RowHealer(db, this.bucketOf);
  }

  /** A row filed under a wrong bucket would be published into the wrong replicated key. */
  private static ToIntFunction<String> inRange(ToIntFunction<String> bucketOf, int buckets) {
    return accountId -> {
      int bucket = bucketOf.applyAsInt(accountId);
      if (bucket < 0 || bucket >= buckets) {
        throw new IllegalStateException("bucket " + bucket + " of account " + accountId
            + " is outside 0.." + (buckets - 1) + ": bucket function and database disagree");
      }
      return bucket;
    };
  }

  /**
   * Adds to the account's row inside the caller's transaction {@code tx} and returns the row's new
   * version. The row stays locked until {@code tx} ends, so the version is this change's own.
   *
   * @throws LedgerLimitExceededException when a total would pass {@link #LIMIT}; nothing written
   */
  public long add(Connection tx, String accountId, long credit, long debit) throws SQLException {
    checkAccountId(accountId);
    if (credit < 0 || debit < 0 || (credit == 0 && debit == 0)) {
      throw new IllegalArgumentException(
          "credit and debit must be >= 0 and not both 0: " + credit + ", " + debit);
    }
    if (credit > LIMIT || debit > LIMIT) {
      throw limitExceeded(accountId, credit, debit);
    }
    for (int round = 0; round < MAX_UPSERT_ROUNDS; round++) {
      long version = update(tx, accountId, credit, debit);
      if (version > 0) {
        return version;
      }
      Optional<long[]> totals = totals(tx, accountId);
      if (totals.isPresent()) {
        long[] t = totals.get();
        if (t[0] > LIMIT - credit || t[1] > LIMIT - debit) {
          throw limitExceeded(accountId, credit, debit);
        }
        continue; // the row was committed by another transaction after our UPDATE looked
      }
      if (insert(tx, accountId, credit, debit)) {
        return 1;
      }
    }
    throw new IllegalStateException("could neither update nor insert the row of " + accountId);
  }

  /**
   * Applies ADD and returns the row's new version, or 0 when no row matched. The version comes
   * back with the UPDATE itself (JDBC generated keys: PostgreSQL's RETURNING, H2's data change
   * delta), one round trip fewer per change than reading it afterwards.
   */
  private long update(Connection tx, String accountId, long credit, long debit)
      throws SQLException {
    long epoch = db.epoch();
    try (PreparedStatement ps = tx.prepareStatement(ADD, VERSION_COLUMN)) {
      ps.setLong(1, epoch);
      ps.setLong(2, epoch);
      ps.setLong(3, epoch);
      ps.setLong(4, epoch);
      ps.setLong(5, credit);
      ps.setLong(6, debit);
      ps.setString(7, accountId);
      ps.setLong(8, LIMIT - credit);
      ps.setLong(9, LIMIT - debit);
      if (ps.executeUpdate() != 1) {
        return 0;
      }
      try (ResultSet rs = ps.getGeneratedKeys()) {
        if (!rs.next()) {
          throw new IllegalStateException("the UPDATE of " + accountId + " returned no version");
        }
        return rs.getLong(1);
      }
    }
  }

  /** Inserts the first row of an account; false when another transaction inserted it first. */
  private boolean insert(Connection tx, String accountId, long credit, long debit)
      throws SQLException {
    return RacingInsert.insert(
        tx,
        INSERT,
        ps -> {
          ps.setString(1, accountId);
          ps.setInt(2, bucketOf.applyAsInt(accountId));
          ps.setLong(3, credit);
          ps.setLong(4, debit);
          ps.setLong(5, db.epoch());
        });
  }

  private static Optional<long[]> totals(Connection tx, String accountId) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement(TOTALS)) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
            : Optional.empty();
      }
    }
  }

  private static long version(Connection tx, String accountId) throws SQLException {
    return totals(tx, accountId)
        .orElseThrow(() -> new IllegalStateException("row vanished: " + accountId))[2];
  }

  private static LedgerLimitExceededException limitExceeded(
      String accountId, long credit, long debit) {
    return new LedgerLimitExceededException("adding credit " + credit + " / debit " + debit
        + " to account " + accountId + " would pass the ledger limit of 2^62 points");
  }

  /**
   * Locks the account's row until {@code tx} ends and returns it (empty when this writer has no
   * row yet). Rights checks read the row this way, so a concurrent change of the row waits.
   */
  public Optional<StoredRow> lockRow(Connection tx, String accountId) throws SQLException {
    checkAccountId(accountId);
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT version FROM ledger_row WHERE account_id = ? FOR UPDATE")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
      }
    }
    return row(tx, accountId);
  }

  /**
   * Raises {@code sent[to]} of the account's row by {@code amount} inside {@code tx} (a rights
   * transfer this writer gives) and returns the row's new version. The caller checked its rights
   * with the row locked ({@link #lockRow}); a writer that only received rights so far gets a
   * row here.
   */
  public long addSent(Connection tx, String accountId, WriterKey to, long amount)
      throws SQLException {
    checkAccountId(accountId);
    if (amount <= 0 || amount > LIMIT) {
      throw new IllegalArgumentException("a transfer moves 1.." + LIMIT + " points: " + amount);
    }
    long epoch = db.epoch();
    boolean rowChanged = false;
    for (int round = 0; round < MAX_UPSERT_ROUNDS && !rowChanged; round++) {
      try (PreparedStatement ps = tx.prepareStatement(TOUCH)) {
        ps.setLong(1, epoch);
        ps.setLong(2, epoch);
        ps.setLong(3, epoch);
        ps.setLong(4, epoch);
        ps.setString(5, accountId);
        rowChanged = ps.executeUpdate() == 1;
      }
      if (!rowChanged) {
        rowChanged = RacingInsert.insert(tx, INSERT, ps -> {
          ps.setString(1, accountId);
          ps.setInt(2, bucketOf.applyAsInt(accountId));
          ps.setLong(3, 0);
          ps.setLong(4, 0);
          ps.setLong(5, epoch);
        });
      }
    }
    if (!rowChanged) {
      throw new IllegalStateException("could neither update nor insert the row of " + accountId);
    }
    int updated;
    try (PreparedStatement ps = tx.prepareStatement(ADD_SENT)) {
      ps.setLong(1, epoch);
      ps.setLong(2, epoch);
      ps.setLong(3, amount);
      ps.setString(4, accountId);
      ps.setString(5, to.value());
      ps.setLong(6, LIMIT - amount);
      updated = ps.executeUpdate();
    }
    if (updated == 0) {
      boolean inserted = RacingInsert.insert(tx,
          "INSERT INTO ledger_row_sent (account_id, to_writer, amount, base_amount, epoch)"
              + " VALUES (?, ?, ?, 0, ?)",
          ps -> {
            ps.setString(1, accountId);
            ps.setString(2, to.value());
            ps.setLong(3, amount);
            ps.setLong(4, epoch);
          });
      if (!inserted) {
        // the row lock serializes changes of the map: an existing entry means the limit was hit
        throw limitExceeded(accountId, amount, 0);
      }
    }
    return version(tx, accountId);
  }

  /** Up to {@code limit} rows not yet known to be published, ordered by bucket then account. */
  public List<StoredRow> pending(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return db.inTransaction(
        tx -> StoredRowQueries.query(tx, StoredRowQueries.PENDING, ps -> ps.setInt(1, limit)));
  }
  /**
   * Pending rows that come after {@code (bucket, accountId)} in (bucket, account) order, so that
   * a publisher can walk the pending rows in rounds without re-reading what it just sent.
   */
  public List<StoredRow> pendingAfter(int bucket, String accountId, int limit) {
    List<StoredRow> pending = db.inTransaction(
        tx ->
            StoredRowQueries.query(
                tx,
                StoredRowQueries.PENDING_AFTER,
                ps -> {
                  ps.setInt(1, bucket);
                  ps.setInt(2, bucket);
                  ps.setString(3, accountId);
                  ps.setInt(4, limit);
                }));
    // Published, a row read while its commit was still being written would outlive a crash that
    // lost it, and the restarted writer would count that change again.
    db.awaitCommitsInProgress();
    return pending;
  }


  public List<StoredRow> rowsInBucket(int bucket) {
    return db.inTransaction(
        tx -> StoredRowQueries.query(tx, StoredRowQueries.IN_BUCKET, ps -> ps.setInt(1, bucket)));
  }

  public Optional<StoredRow> row(String accountId) {
    return db.inTransaction(tx -> row(tx, accountId));
  }

  static Optional<StoredRow> row(Connection tx, String accountId) throws SQLException {
    return StoredRowQueries.query(tx, StoredRowQueries.ONE, ps -> ps.setString(1, accountId))
        .stream()
        .findFirst();
  }

  public long pendingCount() {
    return db.inTransaction(tx -> {
      try (PreparedStatement ps =
              tx.prepareStatement("SELECT COUNT(*) FROM ledger_row WHERE pending = TRUE");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /**
   * Marks rows pending again, so that the publisher republishes them within its byte budget: the
   * reconciler found the replica lacking them (e.g. every replica was wiped).
   */
  public void markPending(List<String> accountIds) {
    if (accountIds.isEmpty()) {
      return;
    }
    List<String> sorted = accountIds.stream().sorted().distinct().toList();
    db.inTransaction(tx -> {
      try (PreparedStatement ps =
          // Rows already pending are left alone: rewriting them changes nothing but costs a row
          // write and index updates each (the start pass marks a whole backlog of pending rows).
          tx.prepareStatement(
              "UPDATE ledger_row SET pending = TRUE WHERE account_id = ? AND pending = FALSE")) {
        for (String accountId : sorted) {
          ps.setString(1, accountId);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  /**
   * Records that the replica holds these rows at (at least) these versions. A row stays pending
   * when a newer version was committed after the publish began.
   */
  public void markPublished(List<PublishedRow> published) {
    if (published.isEmpty()) {
      return;
    }
    // Highest version per account, in account order so concurrent batches lock rows alike.
    Map<String, Long> highest = new TreeMap<>();
    for (PublishedRow p : published) {
      highest.merge(p.accountId(), p.version(), Math::max);
    }
    db.inTransaction(tx -> {
      try (PreparedStatement ps = tx.prepareStatement(MARK_PUBLISHED)) {
        for (Map.Entry<String, Long> e : highest.entrySet()) {
          ps.setLong(1, e.getValue());
          ps.setLong(2, e.getValue());
          ps.setString(3, e.getKey());
          ps.setLong(4, e.getValue());
          ps.setLong(5, e.getValue());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  /**
   * Heals the row of {@code accountId} when the replica holds it higher than this database: the
   * database went backwards (restored from an older copy). Each field (and each {@code sent}
   * entry) becomes {@code replica + (db - base)}, where base is the value at the start of the
   * current epoch if the field changed in this epoch, else the db value (so it adopts the
   * replica); then base := replica. The version becomes {@code max(db, replica) + 1} and the row
   * pending. One transaction with the row locked; logged at ERROR. A replica the row already
   * covers (no field higher) changes nothing, so healing twice is harmless.
   *
   * <p>Caller's precondition: the replica must not hold values this database produced in the
   * current epoch beyond the base, or they would be counted twice. In an unverified epoch,
   * reconcile a row with the replica before publishing its changes, then {@link #markVerified}.
   * In a verified epoch each field becomes {@code max(db, replica)} instead: the replica already
   * holds this epoch's published changes.
   */
  public HealResult heal(String accountId, long credited, long debited, long version,
      SortedMap<WriterKey, Long> sent) {
    checkAccountId(accountId);
    return healer.heal(accountId, new RowHealer.Values(credited, debited, version, sent));
  }

  /** Whether this epoch's rows have been compared with a majority of the replicas. */
  public boolean isVerified() {
    return db.isVerified();
  }

  /**
   * Whether the database was created by this open: its writer key is new, so no replica holds a
   * row of it that this database lacks.
   */
  public boolean createdByThisOpen() {
    return db.createdByThisOpen();
  }

  /** This epoch's rows have been compared with the replica (and healed where needed). */
  public void markVerified() {
    db.markVerified();
  }

  static void checkAccountId(String accountId) {
    if (accountId == null || accountId.isEmpty() || accountId.length() > 128) {
      throw new IllegalArgumentException("account id must have 1..128 characters");
    }
  }
}
