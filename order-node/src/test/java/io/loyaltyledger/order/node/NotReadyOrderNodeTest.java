package io.loyaltyledger.order.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.TestNodes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An order node that has not joined a cluster (no seed nodes) never becomes ready: it refuses
 * writes with 503 and stores nothing under their keys, while reads of its database still work.
 */
class NotReadyOrderNodeTest {

  @TempDir Path dir;

  @Test
  void writesBeforeTheNodeIsReadyAre503AndNotStored() {
    try (OrderNode node = OrderNode.start(new TestNodes(dir, "order", 1, 64).config(0, List.of()))) {
      OrderClient orders = new OrderClient(node.httpPort());
      OrderDatabase db = new OrderDatabase(node);
      assertThat(orders.api().get("/v1/node").json().get("ready").asBoolean()).isFalse();

      Answer placed = orders.place("k-1", "o-1", "alice", "10.00");
      assertThat(placed.status()).isEqualTo(503);
      assertThat(placed.error()).isEqualTo("not_ready");
      Answer cancelled = orders.cancel("o-1", "k-2");
      assertThat(cancelled.status()).isEqualTo(503);
      assertThat(cancelled.error()).isEqualTo("not_ready");
      // Validation still comes first: a bad request is a 400 whatever the node's state.
      assertThat(orders.place("k-1", "o-1", "alice", "ten").error()).isEqualTo("invalid_amount");

      assertThat(orders.order("o-1").status()).isEqualTo(404);
      assertThat(db.count("customer_order")).isZero();
      assertThat(db.count("idempotency_record")).isZero();
      assertThat(db.hasRow("alice")).isFalse();
    }
  }
}
