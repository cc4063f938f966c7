package io.loyaltyledger.order.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.order.node.OrderClient;
import io.loyaltyledger.order.node.OrderDatabase;
import io.loyaltyledger.order.node.OrderNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redemptions on one order node (a cluster of its own, so only its own rights count): the debit
 * commits with the order, a redemption the points do not cover writes nothing, concurrent
 * redemptions of one account never spend more than it has, a cancellation refunds.
 */
class RedemptionApiTest {

  @TempDir static Path dir;
  static OrderNode node;
  static OrderClient orders;
  static OrderDatabase db;

  @BeforeAll
  static void start() throws Exception {
    node = OrderNode.start(new TestNodes(dir, "order", 1, 64).config(0));
    node.started().get(60, TimeUnit.SECONDS);
    orders = new OrderClient(node.httpPort());
    db = new OrderDatabase(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aRedemptionDebitsWithTheOrderAndACancellationRefundsIt() {
    assertThat(orders.place("r1-earn", "r1-earn", "rae", "100.00").status()).isEqualTo(201);
    Answer redeemed = orders.redeem("r1-spend", "r1-spend", "rae", "0.50", 30);
    assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(201);
    assertThat(redeemed.json().get("pointsRedeemed").asLong()).isEqualTo(30);
    assertThat(redeemed.json().get("pointsEarned").asLong()).isZero();
    assertThat(db.debited("rae")).isEqualTo(30);

    Answer replay = orders.redeem("r1-spend", "r1-spend", "rae", "0.50", 30);
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.json()).isEqualTo(redeemed.json());
    assertThat(db.debited("rae")).as("a retry debits nothing").isEqualTo(30);

    String token = redeemed.json().get("token").asText();
    JsonNode view = orders.api().get("/v1/accounts/rae?after=" + token).json();
    assertThat(view.get("balance").asLong()).isEqualTo(70);
    assertThat(view.get("available").asLong()).isEqualTo(70);
    assertThat(view.get("writers").elements().next().get("rights").asLong()).isEqualTo(70);

    Answer cancelled = orders.cancel("r1-spend", "r1-cancel");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().get("pointsRefunded").asLong()).isEqualTo(30);
    assertThat(cancelled.json().get("pointsReversed").asLong()).isZero();
    assertThat(orders.order("r1-spend").json().get("pointsRedeemed").asLong()).isEqualTo(30);
    assertThat(orders.order("r1-spend").json().get("pointsRefunded").asLong()).isEqualTo(30);
    // available reads this writer's row from its database: at once
    assertThat(orders.account("rae").get("available").asLong()).isEqualTo(100);
    // the balance is the replica's: wait for the cancellation's token
    JsonNode after =
        orders.api().get("/v1/accounts/rae?after=" + cancelled.json().get("token").asText()).json();
    assertThat(after.get("balance").asLong()).isEqualTo(100);
  }

  @Test
  void aRedemptionThePointsDoNotCoverWritesNothing() {
    assertThat(orders.place("r2-earn", "r2-earn", "ria", "40.00").status()).isEqualTo(201);
    long ordersBefore = db.count("customer_order");
    long keysBefore = db.count("idempotency_record");

    Answer refused = orders.redeem("r2-spend", "r2-spend", "ria", "9.99", 41);
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.error()).isEqualTo("insufficient_points");
    assertThat(refused.json().get("requested").asLong()).isEqualTo(41);
    assertThat(refused.json().get("available").asLong()).isEqualTo(40);
    assertThat(refused.json().get("balance").asLong()).isEqualTo(40);
    assertThat(db.count("customer_order")).isEqualTo(ordersBefore);
    assertThat(db.count("idempotency_record")).isEqualTo(keysBefore);
    assertThat(db.debited("ria")).isZero();
    assertThat(orders.order("r2-spend").status()).isEqualTo(404);

    // Nothing was stored under the key: the corrected request may use it.
    Answer fixed = orders.redeem("r2-spend", "r2-spend", "ria", "9.99", 40);
    assertThat(fixed.status()).as(fixed.body()).isEqualTo(201);
    assertThat(fixed.json().get("pointsEarned").asLong()).isEqualTo(9);
    assertThat(db.debited("ria")).isEqualTo(40);
  }

  @Test
  void invalidRedeemPointsAreRejected() {
    for (String bad : List.of("-1", "1.5", "\"10\"", "10000000000001")) {
      Answer answer =
          orders.api().post("/v1/orders", "r3-" + bad.hashCode(),
              "{\"orderId\":\"r3\",\"accountId\":\"rex\",\"amount\":\"1.00\",\"currency\":\"EUR\","
                  + "\"redeemPoints\":" + bad + "}");
      assertThat(answer.status()).as(bad).isEqualTo(400);
      assertThat(answer.error()).isEqualTo("invalid_redeem_points");
    }
    Answer zero = orders.redeem("r3-zero", "r3-zero", "rex", "1.00", 0);
    assertThat(zero.status()).isEqualTo(201);
    assertThat(zero.json().get("pointsRedeemed").asLong()).isZero();
  }

  @Test
  void concurrentRedemptionsOfOneAccountNeverSpendMoreThanItHas() throws Exception {
    assertThat(orders.place("r4-earn", "r4-earn", "rio", "100.00").status()).isEqualTo(201);
    int clients = 8;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        String id = "r4-spend-" + c;
        results.add(pool.submit(() -> {
          go.await();
          int status;
          do { // 503 account_busy (queued past the deadline) wrote nothing: retry with the key
            status = orders.redeem(id, id, "rio", "0.10", 30).status();
          } while (status == 503);
          return status;
        }));
      }
      go.countDown();
      int accepted = 0;
      for (Future<Integer> f : results) {
        int status = f.get(30, TimeUnit.SECONDS);
        assertThat(status).isIn(201, 409);
        accepted += status == 201 ? 1 : 0;
      }
      assertThat(accepted).isEqualTo(3);
      assertThat(db.debited("rio")).isEqualTo(90);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClawbackAfterARedemptionIsNeverRefusedAndOpensAnOverdraft() {
    assertThat(orders.place("r5-earn", "r5-earn", "roy", "50.00").status()).isEqualTo(201);
    assertThat(orders.redeem("r5-spend", "r5-spend", "roy", "0.10", 50).status()).isEqualTo(201);
    Answer clawback = orders.cancel("r5-earn", "r5-cancel");
    assertThat(clawback.status()).as(clawback.body()).isEqualTo(200);
    assertThat(clawback.json().get("pointsReversed").asLong()).isEqualTo(50);
    JsonNode view = orders.api().get("/v1/accounts/roy?after=" + clawback.json().get("token").asText()).json();
    assertThat(view.get("balance").asLong()).isEqualTo(-50);
    assertThat(view.get("available").asLong()).isEqualTo(-50);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> {
          JsonNode list = orders.overdrafts("roy").json().get("overdrafts");
          return list.size() == 1 && list.get(0).get("deficit").asLong() == 50;
        });
    Answer refused = orders.redeem("r5-again", "r5-again", "roy", "0.10", 1);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("available").asLong()).isEqualTo(-50);
  }
}
