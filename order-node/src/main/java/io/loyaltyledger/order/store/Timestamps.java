package io.loyaltyledger.order.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** TIMESTAMP WITH TIME ZONE columns as {@link Instant}s, the same way on H2 and PostgreSQL. */
final class Timestamps {

  private Timestamps() {}

  static void set(PreparedStatement ps, int index, Instant instant) throws SQLException {
    ps.setObject(index, instant == null ? null : instant.atOffset(ZoneOffset.UTC));
  }

  static Instant get(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
