package io.loyaltyledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.loyaltyledger.ledger.node.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The library against one real ledger node and one real order node, started in this JVM. */
class LoyaltyClientTest {

  @RegisterExtension static final SharedRealNodes nodes = new SharedRealNodes();

  private static LoyaltyClient client(String... urls) {
    LoyaltyClient.Builder builder =
        LoyaltyClient.builder().token(TestTokens.WRITE)
            .connectTimeout(Duration.ofMillis(500))
            .requestTimeout(Duration.ofMillis(1500))
            .writeDeadline(Duration.ofSeconds(3))
            .backoff(Duration.ofMillis(50), Duration.ofMillis(400));
    for (String url : urls) {
      builder.node(url);
    }
    return builder.build();
  }

  @Test
  void anOrderPlacedOnTheOrderNodeIsReadWithItsTokenOnAnotherNodeAtOnce() {
    Written<Order> placed =
        client(nodes.ledgerUrl(), nodes.orderUrl()).placeOrder("ryw-1", "ryw-alice", "59.90", "EUR");
    assertThat(placed.value().pointsEarned()).isEqualTo(59);
    assertThat(placed.value().status()).isEqualTo("PLACED");
    assertThat(placed.idempotencyKey()).isEqualTo("order:ryw-1");
    assertThat(placed.replayed()).isFalse();

    Balance balance =
        client(nodes.ledgerUrl()).balance("ryw-alice", Consistency.LOCAL, placed.value().token());
    assertThat(balance.balance()).isEqualTo(59);
    assertThat(balance.writers()).containsKey(placed.value().token().substring(0, placed.value().token().lastIndexOf(':')));
  }

  @Test
  void anOrderRedeemsPointsAnAdjustmentGaveOnTheLedgerNode() {
    Written<Adjustment> bonus = client(nodes.ledgerUrl()).adjust("redeem-ivy", 50, "welcome");
    // the adjustment's points are the ledger node's rights; the order node sees them, then asks
    client(nodes.orderUrl()).balance("redeem-ivy", Consistency.LOCAL, bonus.value().token());
    LoyaltyClient client = client(nodes.ledgerUrl(), nodes.orderUrl());
    Written<Order> redeemed = client.placeOrder("redeem-1", "redeem-ivy", "0.50", "EUR", 30, null);
    assertThat(redeemed.value().pointsRedeemed()).isEqualTo(30);
    assertThatThrownBy(
            () -> client.placeOrder("redeem-2", "redeem-ivy", "0.50", "EUR", 30, null))
        .isInstanceOf(LoyaltyException.class)
        .extracting(e -> ((LoyaltyException) e).errorCode(), e -> ((LoyaltyException) e).status())
        .containsExactly("insufficient_points", 409);
    Written<Cancellation> cancelled = client.cancelOrder("redeem-1");
    assertThat(cancelled.value().pointsRefunded()).isEqualTo(30);
    Balance balance =
        client(nodes.orderUrl()).balance("redeem-ivy", Consistency.LOCAL, cancelled.value().token());
    assertThat(balance.balance()).isEqualTo(50);
    // The refused redemption still moved the ledger node's last 20 points of rights over (a
    // transfer is committed by the donor on its own); with the refund, the order node holds all.
    assertThat(balance.available()).as("the order node's rights").isEqualTo(50);
  }

  @Test
  void readsFailOverFromARefusingAndFromAHungNode() throws Exception {
    try (SilentServer hung = new SilentServer()) {
      LoyaltyClient client = client(SilentServer.refusingUrl(), hung.url(), nodes.ledgerUrl());
      assertThat(client.balance("nobody").balance()).isZero();
      assertThat(hung.connections()).isEqualTo(1);
      // the node that answered is asked first from now on
      long start = System.nanoTime();
      client.balance("nobody");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
      assertThat(client.cluster().members()).hasSize(2);
    }
  }

  @Test
  void withoutAWriteTokenWritesAreRefusedAndApplyNothing() {
    LoyaltyClient anonymous = LoyaltyClient.builder().node(nodes.ledgerUrl()).node(nodes.orderUrl()).build();
    assertThatThrownBy(() -> anonymous.adjust("tok-ann", 5, "no token"))
        .isInstanceOfSatisfying(LoyaltyException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("unauthorized");
          assertThat(e.status()).isEqualTo(401);
        });
    assertThatThrownBy(() -> anonymous.balance("tok-ann"))
        .isInstanceOfSatisfying(LoyaltyException.class, e -> assertThat(e.status()).isEqualTo(401));

    LoyaltyClient reader = LoyaltyClient.builder().token(TestTokens.READ)
        .node(nodes.ledgerUrl()).node(nodes.orderUrl()).build();
    assertThatThrownBy(() -> reader.placeOrder("tok-o-1", "tok-ann", "5.00", "EUR"))
        .isInstanceOfSatisfying(LoyaltyException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("forbidden");
          assertThat(e.status()).isEqualTo(403);
        });
    assertThat(reader.balance("tok-ann").balance()).isZero();

    // nothing was applied: the same writes with a write token are new
    Written<Adjustment> adjusted = client(nodes.ledgerUrl()).adjust("tok-ann", 5, "no token");
    assertThat(adjusted.replayed()).isFalse();
    Written<Order> placed =
        client(nodes.ledgerUrl(), nodes.orderUrl()).placeOrder("tok-o-1", "tok-ann", "5.00", "EUR");
    assertThat(placed.replayed()).isFalse();
  }

  @Test
  void whenNoNodeAnswersTheClientSaysSo() {
    LoyaltyClient client = client(SilentServer.refusingUrl(), SilentServer.refusingUrl());
    assertThatThrownBy(() -> client.balance("alice"))
        .isInstanceOf(NoNodeAvailableException.class)
        .extracting(e -> ((LoyaltyException) e).errorCode())
        .isEqualTo("no_node_available");
    assertThatThrownBy(() -> client.adjust("alice", 5, "nothing applied"))
        .isInstanceOf(NoNodeAvailableException.class);
  }

  @Test
  void aWriteRefusedByTheFirstNodeFailsOverToTheNext() {
    Written<Adjustment> adjusted =
        client(SilentServer.refusingUrl(), nodes.ledgerUrl()).adjust("failover-bo", 7, "welcome");
    assertThat(adjusted.node().toString()).isEqualTo(nodes.ledgerUrl());
    assertThat(adjusted.value().points()).isEqualTo(7);
  }

  @Test
  void anOrderIdIsNotPlacedWhileANodeThatMightHoldItIsSilentButANewOrderIs() {
    LoyaltyClient client = client(SilentServer.refusingUrl(), nodes.orderUrl());
    assertThatThrownBy(() -> client.placeOrder("maybe-elsewhere-1", "silent-hal", "5.00", "EUR"))
        .isInstanceOf(NoNodeAvailableException.class)
        .hasMessageContaining("could place it twice");
    Written<Order> placed = client.placeNewOrder("silent-hal", "5.00", "EUR");
    assertThat(placed.idempotencyKey()).isEqualTo("order:" + placed.value().orderId());
    assertThat(placed.value().pointsEarned()).isEqualTo(5);
    // the order exists on an order node that answers: a repeated call replays there
    assertThat(client.placeOrder(placed.value().orderId(), "silent-hal", "5.00", "EUR", null).replayed())
        .isTrue();
  }

  @Test
  void runningTheSameCommandAgainAppliesItOnce() {
    LoyaltyClient client = client(nodes.ledgerUrl(), nodes.orderUrl());
    Written<Order> first = client.placeOrder("twice-1", "twice-cy", "10.00", "EUR");
    Written<Order> again = client.placeOrder("twice-1", "twice-cy", "10.00", "EUR");
    assertThat(again.replayed()).isTrue();
    assertThat(again.value()).isEqualTo(first.value());

    Written<Adjustment> bonus = client.adjust("twice-cy", 100, "welcome bonus");
    Written<Adjustment> bonusAgain = client.adjust("twice-cy", 100, "welcome bonus");
    assertThat(bonusAgain.replayed()).isTrue();
    assertThat(bonusAgain.value().adjustmentId()).isEqualTo(bonus.value().adjustmentId());

    // each token shows its own write; together, once both writers' rows arrived, exactly once each
    assertThat(client.balance("twice-cy", Consistency.LOCAL, bonus.value().token()).balance())
        .isIn(100L, 110L);
    assertThat(client.balance("twice-cy", Consistency.LOCAL, first.value().token()).balance())
        .isIn(10L, 110L);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(client.balance("twice-cy").balance()).isEqualTo(110));
  }

  @Test
  void ordersAreShownAndCancelledOnTheNodeThatTookThem() {
    LoyaltyClient client = client(nodes.ledgerUrl(), nodes.orderUrl());
    client.placeOrder("cancel-1", "cancel-di", "20.50", "USD");
    Order shown = client.order("cancel-1");
    assertThat(shown.amount()).isEqualTo("20.50");
    assertThat(shown.currency()).isEqualTo("USD");

    Written<Cancellation> cancelled = client.cancelOrder("cancel-1");
    assertThat(cancelled.value().pointsReversed()).isEqualTo(20);
    assertThat(cancelled.idempotencyKey()).isEqualTo("cancel:cancel-1");
    assertThat(client.cancelOrder("cancel-1").replayed()).isTrue();
    assertThat(client.order("cancel-1").status()).isEqualTo("CANCELLED");
    assertThat(client.balance("cancel-di", Consistency.LOCAL, cancelled.value().token()).balance())
        .isZero();
  }

  @Test
  void errorAnswersBecomeTypedExceptions() {
    LoyaltyClient client = client(nodes.ledgerUrl(), nodes.orderUrl());
    assertThatThrownBy(() -> client.placeOrder("bad-1", "eve", "ten", "EUR"))
        .isInstanceOfSatisfying(
            LoyaltyException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("invalid_amount");
              assertThat(e.status()).isEqualTo(400);
            });
    assertThatThrownBy(() -> client.order("never-placed"))
        .isInstanceOfSatisfying(
            LoyaltyException.class, e -> assertThat(e.errorCode()).isEqualTo("order_not_found"));
    assertThatThrownBy(() -> client.balance("bad account!"))
        .isInstanceOfSatisfying(
            LoyaltyException.class, e -> assertThat(e.errorCode()).isEqualTo("invalid_account_id"));
    // a token of a write that never happened: the node answers 504, which is not a node failure
    assertThatThrownBy(
            () -> client.balance("eve", Consistency.LOCAL, "order-9@00000000:99"))
        .isInstanceOfSatisfying(
            LoyaltyException.class, e -> assertThat(e.errorCode()).isEqualTo("not_yet_visible"));
  }

  @Test
  void aWriteToAHungNodeEndsAsOutcomeUnknownWithItsKey() throws Exception {
    try (SilentServer hung = new SilentServer()) {
      // the ledger node is second in the list: an unknown outcome must not fail over to it
      LoyaltyClient client = client(hung.url(), nodes.ledgerUrl());
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.adjust("hung-eve", 5, "maybe"))
          .isInstanceOfSatisfying(
              OutcomeUnknownException.class,
              e -> {
                assertThat(e.idempotencyKey()).isEqualTo(IdempotencyKeys.adjustment("hung-eve", 5, "maybe"));
                assertThat(e.node().toString()).isEqualTo(hung.url());
                assertThat(e.errorCode()).isEqualTo("outcome_unknown");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
      assertThat(hung.connections()).isGreaterThan(1); // retried on the same node
      assertThat(client(nodes.ledgerUrl()).balance("hung-eve").writers()).isEmpty();
    }
  }

  @Test
  void anOrderWhoseAnswerWasLostIsRetriedWithItsKeyWhenTheNodeIsBackAndAppliedOnce()
      throws Exception {
    try (AnswerDroppingProxy proxy = new AnswerDroppingProxy(nodes.orderPort())) {
      LoyaltyClient client =
          LoyaltyClient.builder().token(TestTokens.WRITE)
              .node(proxy.url())
              .requestTimeout(Duration.ofMillis(500))
              .writeDeadline(Duration.ofSeconds(20))
              .backoff(Duration.ofMillis(100), Duration.ofMillis(300))
              .build();
      client.nodeInfos(); // learn the roles while the node answers
      proxy.dropAnswersToPosts(true);
      CompletableFuture<Written<Order>> placing =
          CompletableFuture.supplyAsync(() -> client.placeOrder("lost-1", "lost-fay", "42.00", "EUR"));
      // The order is committed, its answers are lost, the client retries.
      await().atMost(Duration.ofSeconds(15)).until(() -> proxy.postsForwarded() > 1);
      proxy.dropAnswersToPosts(false);

      Written<Order> placed = placing.get();
      assertThat(placed.replayed()).isTrue();
      assertThat(placed.idempotencyKey()).isEqualTo("order:lost-1");
      assertThat(client(nodes.ledgerUrl()).balance("lost-fay", Consistency.LOCAL, placed.value().token()).balance())
          .isEqualTo(42);
    }
  }

  @Test
  void anUnknownOutcomeRetriedLaterWithTheSameKeyIsAppliedOnce() throws Exception {
    try (AnswerDroppingProxy proxy = new AnswerDroppingProxy(nodes.orderPort())) {
      LoyaltyClient client =
          LoyaltyClient.builder().token(TestTokens.WRITE)
              .node(proxy.url())
              .requestTimeout(Duration.ofMillis(400))
              .writeDeadline(Duration.ofSeconds(1))
              .backoff(Duration.ofMillis(100), Duration.ofMillis(200))
              .build();
      client.nodeInfos();
      proxy.dropAnswersToPosts(true);
      assertThatThrownBy(() -> client.placeOrder("later-1", "later-gus", "15.00", "EUR"))
          .isInstanceOfSatisfying(
              OutcomeUnknownException.class,
              e -> assertThat(e.idempotencyKey()).isEqualTo("order:later-1"));
      proxy.dropAnswersToPosts(false);

      Written<Order> retried = client.placeOrder("later-1", "later-gus", "15.00", "EUR");
      assertThat(retried.replayed()).isTrue();
      assertThat(client(nodes.ledgerUrl()).balance("later-gus", Consistency.LOCAL, retried.value().token()).balance())
          .isEqualTo(15);
      assertThat(List.of(client.order("later-1").status())).containsExactly("PLACED");
    }
  }
}
