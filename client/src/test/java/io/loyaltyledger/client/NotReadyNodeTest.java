package io.loyaltyledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.ledger.node.TestTokens;
import io.loyaltyledger.order.node.OrderNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that never becomes ready (it joined no cluster) answers writes {@code 503 not_ready} and
 * stores nothing: the client moves the write on to a node that takes it, and with no such node
 * keeps trying until the deadline, then says that nothing was applied.
 */
class NotReadyNodeTest {

  @TempDir Path dir;

  @Test
  void writesMoveOnFromANodeThatIsNotReady() {
    try (RealNodes nodes = RealNodes.start(dir.resolve("cluster"));
        OrderNode lonely =
            OrderNode.start(new TestNodes(dir.resolve("lonely"), "order", 1, 64).config(0, List.of()))) {
      String lonelyUrl = "http://127.0.0.1:" + lonely.httpPort();
      LoyaltyClient client =
          LoyaltyClient.builder().token(TestTokens.WRITE)
              .node(lonelyUrl)
              .node(nodes.ledgerUrl())
              .writeDeadline(Duration.ofSeconds(1))
              .backoff(Duration.ofMillis(100), Duration.ofMillis(200))
              .build();
      assertThat(client.nodeInfos().get(NodeEndpoint.of(lonelyUrl)).orElseThrow().ready()).isFalse();

      Written<Adjustment> adjusted = client.adjust("ready-kim", 3, "moved on");
      assertThat(adjusted.node().toString()).isEqualTo(nodes.ledgerUrl());
      assertThat(adjusted.replayed()).isFalse();

      LoyaltyClient onlyLonely = LoyaltyClient.builder().token(TestTokens.WRITE).node(lonelyUrl)
          .writeDeadline(Duration.ofSeconds(1))
          .backoff(Duration.ofMillis(100), Duration.ofMillis(200))
          .build();
      long start = System.nanoTime();
      assertThatThrownBy(() -> onlyLonely.placeNewOrder("ready-kim", "4.00", "EUR"))
          .isInstanceOf(NoNodeAvailableException.class)
          .hasMessageContaining("nothing was applied");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(800), Duration.ofSeconds(5));
    }
  }
}
