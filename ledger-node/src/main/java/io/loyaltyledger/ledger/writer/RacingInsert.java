package io.loyaltyledger.ledger.writer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * An INSERT that may lose a race with another transaction inserting the same key. A failed
 * statement aborts a whole PostgreSQL transaction, so the insert is fenced by a savepoint: losing
 * the race answers false and leaves the transaction usable. Public for services that keep their
 * own records in the writer's database (the order service).
 */
public final class RacingInsert {

  /** Binds the statement's parameters. */
  @FunctionalInterface
  public interface Parameters {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private RacingInsert() {}

  /** True when the row was inserted, false when a row with the same key already exists. */
  public static boolean insert(Connection tx, String sql, Parameters parameters)
      throws SQLException {
    Savepoint savepoint = tx.setSavepoint();
    try (PreparedStatement ps = tx.prepareStatement(sql)) {
      parameters.bind(ps);
      ps.executeUpdate();
      tx.releaseSavepoint(savepoint);
      return true;
    } catch (SQLException e) {
      if (!SqlFailures.isDuplicateKey(e)) {
        throw e;
      }
      tx.rollback(savepoint);
      return false;
    }
  }
}
