package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {

  @Test
  void aFailureWithoutSqlStateIsNotTransientAndDoesNotThrow() {
    // what HikariCP throws when no connection frees up in time: no SQLState at all
    SQLException poolTimeout =
        new SQLTransientConnectionException("writer - Connection is not available, request timed out");
    assertThat(SqlFailures.isTransient(new RuntimeException(poolTimeout))).isFalse();
    assertThat(SqlFailures.isDuplicateKey(poolTimeout)).isFalse();
  }

  @Test
  void aSerializationFailureIsTransientWhereverItIsInTheChain() {
    SQLException batch = new SQLException("batch failed", "XX000");
    batch.setNextException(new SQLException("could not serialize access", "40001"));
    assertThat(SqlFailures.isTransient(new IllegalStateException(batch))).isTrue();
  }
}
