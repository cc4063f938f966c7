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

  @Test
  void lockTimeoutsAreToldApartFromOtherConflicts() {
    SQLException postgres = new SQLException("canceling statement due to lock timeout", "55P03");
    assertThat(SqlFailures.isTransient(postgres)).isTrue();
    assertThat(SqlFailures.isLockTimeout(new IllegalStateException(postgres))).isTrue();
    SQLException deadlock = new SQLException("deadlock detected", "40P01");
    assertThat(SqlFailures.isTransient(deadlock)).isTrue();
    assertThat(SqlFailures.isLockTimeout(deadlock)).isFalse();
    assertThat(SqlFailures.isLockTimeout(new SQLTransientConnectionException("pool"))).isFalse();
  }
}
