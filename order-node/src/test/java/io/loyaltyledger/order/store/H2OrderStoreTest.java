package io.loyaltyledger.order.store;

import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.ledger.writer.WriterSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The order service's SQL on the embedded H2 database. */
class H2OrderStoreTest extends OrderStoreContract {

  @TempDir Path dir;

  @Override
  WriterDatabase open() {
    return WriterDatabase.open(WriterSettings.h2File("order-1", dir.resolve("writer")), BUCKETS);
  }
}
