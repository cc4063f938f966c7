package io.loyaltyledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.ledger.node.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node a client talks to stops: reads move on at once, writes say that nothing was applied. */
class NodeStopTest {

  @TempDir Path dir;

  @Test
  void whenTheNodeTheClientTalksToStopsReadsFailOverAtOnce() {
    try (RealNodes nodes = RealNodes.start(dir)) {
      LoyaltyClient client =
          LoyaltyClient.builder().token(TestTokens.WRITE)
              .node(nodes.orderUrl())
              .node(nodes.ledgerUrl())
              .writeDeadline(Duration.ofSeconds(3))
              .build();
      Written<Order> placed = client.placeOrder("stop-1", "stop-jo", "8.00", "EUR");
      assertThat(client.balance("stop-jo", Consistency.LOCAL, placed.value().token()).node())
          .isEqualTo("order-1");

      nodes.stopOrderNode();

      long start = System.nanoTime();
      Balance balance = client.balance("stop-jo", Consistency.LOCAL, placed.value().token());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(balance.node()).isEqualTo("ledger-1");
      assertThat(balance.balance()).isEqualTo(8);

      List<NodeBalance> everyNode = client.balanceOnEveryNode("stop-jo");
      assertThat(everyNode.get(0).failure()).isEqualTo("down");
      assertThat(everyNode.get(1).balance().balance()).isEqualTo(8);

      // the only order node refuses connections: provably nothing applied, reported at once
      start = System.nanoTime();
      assertThatThrownBy(() -> client.placeNewOrder("stop-jo", "1.00", "EUR"))
          .isInstanceOf(NoNodeAvailableException.class)
          .hasMessageContaining("nothing was applied");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
  }
}
