package io.loyaltyledger.ledger.writer;

import java.sql.SQLException;

/** A database failure that retrying the transaction did not cure. */
public class WriterDatabaseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public WriterDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The SQLState of the underlying failure, or null. */
  public String sqlState() {
    return getCause() instanceof SQLException e ? e.getSQLState() : null;
  }
}
