package io.loyaltyledger.order.store;

import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.ledger.writer.WriterSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The order service's SQL on PostgreSQL. Opt-in like the writer's PostgreSQL test: set
 * LEDGER_TEST_POSTGRES_URL (and LEDGER_TEST_POSTGRES_USER / _PASSWORD if needed). Each test
 * works in a fresh schema.
 */
@EnabledIfEnvironmentVariable(named = "LEDGER_TEST_POSTGRES_URL", matches = ".+")
class PostgresOrderStoreTest extends OrderStoreContract {

  private static final String URL = System.getenv("LEDGER_TEST_POSTGRES_URL");
  private static final String USER = envOr("LEDGER_TEST_POSTGRES_USER", "postgres");
  private static final String PASSWORD = envOr("LEDGER_TEST_POSTGRES_PASSWORD", "");

  private String schema;

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }

  @Override
  WriterDatabase open() {
    schema = "order_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return WriterDatabase.open(
        new WriterSettings("order-1", url, USER, PASSWORD, 8,
            WriterSettings.DEFAULT_LOCK_TIMEOUT, WriterSettings.DEFAULT_CONNECTION_TIMEOUT),
        BUCKETS);
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (db != null) {
      db.close();
      db = null;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }
}
