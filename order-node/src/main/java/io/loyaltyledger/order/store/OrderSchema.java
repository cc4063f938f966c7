package io.loyaltyledger.order.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The order service's tables live in the writer's database, so that an order, its idempotency
 * record and its ledger row change commit together. They have their own migrations and history.
 */
public final class OrderSchema {

  static final String HISTORY_TABLE = "order_schema_history";

  private OrderSchema() {}

  public static void migrate(DataSource writerDatabase) {
    Flyway.configure()
        .dataSource(writerDatabase)
        .locations("classpath:db/order")
        .table(HISTORY_TABLE)
        // The writer's tables are already there: start our own history at 0.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
