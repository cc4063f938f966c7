package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * The replica's memory layout, measured exactly by walking the object graph (JOL): a replica holds
 * every account in memory, so the bytes per account decide how many accounts a node can hold.
 * bench/memory.sh measures the same at 1 000 000 accounts.
 */
class ReplicaLayoutTest {

  private static final List<WriterKey> WRITERS =
      List.of(
          WriterKey.of("order-1", "3f2a9c1e0badc0de3f2a9c1e0badc0de"),
          WriterKey.of("order-2", "77aa0e1177aa0e1177aa0e1177aa0e11"),
          WriterKey.of("ledger-1", "1234567812345678123456781234567a"));

  @Test
  void anAccountWithThreeWritersTakesAtMost200Bytes() {
    int accounts = 20_000;
    Bucket bucket = Bucket.EMPTY;
    for (WriterKey writer : WRITERS) {
      List<RowUpdate> rows = new ArrayList<>();
      for (int i = 0; i < accounts; i++) {
        rows.add(new RowUpdate(String.format("cust-%08d", i), writer, Row.of(100 + i, i % 7, 3)));
      }
      bucket = bucket.mergeRows(rows).resetDelta();
    }
    assertThat(bucket.size()).isEqualTo(accounts);

    long bytes = GraphLayout.parseInstance(bucket).totalSize();

    assertThat((double) bytes / accounts).isLessThanOrEqualTo(200.0);
  }

  @Test
  void accountsWithTheSameWritersShareOneWriterArray() {
    Account first = Account.EMPTY.withRow(WRITERS.get(0), Row.of(1, 0, 1))
        .withRow(WRITERS.get(1), Row.of(2, 0, 1));
    Account second = Account.EMPTY.withRow(WRITERS.get(1), Row.of(5, 1, 2))
        .withRow(WRITERS.get(0), Row.of(7, 0, 4));

    long secondAdds =
        GraphLayout.parseInstance(first, second).totalSize()
            - GraphLayout.parseInstance(first).totalSize();

    // The second account adds only itself and its counters: the writer array is the first's.
    assertThat(secondAdds).isEqualTo(VM.current().sizeOf(second) + VM.current().sizeOf(new long[6]));
  }

  @Test
  void transfersAreKeptOnlyForTheRowsThatHaveThem() {
    Row plain = Row.of(10, 0, 1);
    Row giving = Row.of(10, 0, 2, new TreeMap<>(Map.of(WRITERS.get(2), 4L)));
    Account account = Account.EMPTY.withRow(WRITERS.get(0), plain).withRow(WRITERS.get(1), giving);

    assertThat(account.row(WRITERS.get(0))).isEqualTo(plain);
    assertThat(account.row(WRITERS.get(1))).isEqualTo(giving);
    assertThat(account.rights(WRITERS.get(2))).isEqualTo(4);
    assertThat(account).isEqualTo(
        Account.EMPTY.withRow(WRITERS.get(1), giving).withRow(WRITERS.get(0), plain));
  }
}
