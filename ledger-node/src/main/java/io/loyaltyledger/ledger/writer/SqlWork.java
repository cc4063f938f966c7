package io.loyaltyledger.ledger.writer;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done inside one transaction; it may run again if the transaction is retried. */
@FunctionalInterface
public interface SqlWork<T> {
  T apply(Connection tx) throws SQLException;
}
