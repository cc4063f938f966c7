package io.loyaltyledger.order.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.order.node.OrderClient;
import io.loyaltyledger.order.node.OrderNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An order node's {@code GET /metrics} counts its orders, cancellations and overdrafts. */
class OrderMetricsTest {

  @TempDir Path dir;

  @Test
  void ordersCancellationsAndOverdraftsShowOnTheMetricsEndpoint() throws Exception {
    try (OrderNode node = OrderNode.start(new TestNodes(dir, "order", 1, 64).config(0))) {
      node.started().get(60, TimeUnit.SECONDS);
      OrderClient orders = new OrderClient(node.httpPort());
      assertThat(orders.place("m-1", "om-1", "metrics-bob", "10.00").status()).isEqualTo(201);
      assertThat(orders.place("m-1", "om-1", "metrics-bob", "10.00").replayed()).isTrue();
      assertThat(orders.place("m-2", "om-2", "metrics-bob", "20.00").status()).isEqualTo(201);
      assertThat(orders.cancel("om-2", "c-2").status()).isEqualTo(200);

      String metrics = orders.api().get("/metrics").body();
      assertThat(metrics)
          .contains("loyalty_orders_accepted_total 2.0")
          .contains("loyalty_orders_cancelled_total 1.0")
          .contains("loyalty_overdrafts{state=\"OPEN\"} 0.0")
          .contains("loyalty_transfers_requested_total 0.0")
          // the replay answered 201 too
          .contains("loyalty_http_requests_total{method=\"POST\",route=\"/v1/orders\","
              + "status=\"201\"} 3.0");
    }
  }
}
