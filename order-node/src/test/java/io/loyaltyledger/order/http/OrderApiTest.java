package io.loyaltyledger.order.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.ledger.node.TestTokens;
import io.loyaltyledger.order.node.OrderClient;
import io.loyaltyledger.order.node.OrderDatabase;
import io.loyaltyledger.order.node.OrderNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order API of one order node (a cluster of its own), over a bound port: every endpoint's
 * answers and errors, idempotency in every retry shape, and that bad input writes nothing.
 */
class OrderApiTest {

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
  void anOrderNodeWithoutLedgerNodesHasNoMajorityYetTakesOrders() {
    // This cluster has no ledger node: the split brain resolver's majority is out of reach.
    assertThat(orders.api().get("/v1/node").json().get("majorityReachable").asBoolean()).isFalse();
    assertThat(orders.place("k-nomaj", "o-nomaj", "nomaj", "5.00").status()).isEqualTo(201);
  }

  @Test
  void anOrderCreditsItsPointsInOneCommitAndAnswersWithAToken() {
    Answer placed = orders.place("k-o1", "o-1", "alice", "59.90");
    assertThat(placed.status()).as(placed.body()).isEqualTo(201);
    JsonNode receipt = placed.json();
    assertThat(receipt.get("orderId").asText()).isEqualTo("o-1");
    assertThat(receipt.get("accountId").asText()).isEqualTo("alice");
    assertThat(receipt.get("status").asText()).isEqualTo("PLACED");
    assertThat(receipt.get("pointsEarned").asLong()).isEqualTo(59);
    assertThat(receipt.get("amount").asText()).isEqualTo("59.90");
    assertThat(receipt.get("currency").asText()).isEqualTo("EUR");
    String token = receipt.get("token").asText();
    assertThat(token).startsWith(writerKey() + ":");
    assertThat(placed.replayed()).isFalse();

    Answer balance = orders.api().get("/v1/accounts/alice?after=" + token);
    assertThat(balance.status()).isEqualTo(200);
    assertThat(balance.json().get("balance").asLong()).isEqualTo(59);

    JsonNode order = orders.order("o-1").json();
    assertThat(order.get("status").asText()).isEqualTo("PLACED");
    assertThat(order.get("amount").asText()).isEqualTo("59.90");
    assertThat(order.get("pointsEarned").asLong()).isEqualTo(59);
    assertThat(order.get("token").asText()).isEqualTo(token);
    assertThat(order.get("placedAt").asText()).isNotBlank();
    assertThat(order.get("pointsReversed").isNull()).isTrue();
  }

  @Test
  void pointsAreRoundedDownAndAnOrderBelowOnePointMovesNoPoints() {
    Answer small = orders.place("k-small", "o-small", "bea", "0.99");
    assertThat(small.status()).isEqualTo(201);
    assertThat(small.json().get("pointsEarned").asLong()).isZero();
    assertThat(small.json().get("token").isNull()).isTrue();
    assertThat(db.hasRow("bea")).isFalse();

    Answer cancelled = orders.cancel("o-small", "k-small-cancel");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("pointsReversed").asLong()).isZero();
    assertThat(cancelled.json().get("token").isNull()).isTrue();
    assertThat(db.hasRow("bea")).isFalse();

    // "7.5" and "7.50" are one amount: same fingerprint, so the retry replays.
    Answer first = orders.place("k-norm", "o-norm", "bea", "7.5");
    Answer again = orders.place("k-norm", "o-norm", "bea", "7.50");
    assertThat(first.json().get("amount").asText()).isEqualTo("7.50");
    assertThat(again.replayed()).isTrue();
    assertThat(db.credited("bea")).isEqualTo(7);
  }

  @Test
  void aRetryReplaysTheFirstAnswerAndAnotherBodyUnderTheKeyIsRefused() {
    Answer first = orders.place("k-retry", "o-retry", "carl", "20.00");
    Answer again = orders.place("k-retry", "o-retry", "carl", "20.00");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.replayed()).isTrue();
    assertThat(again.json()).isEqualTo(first.json());

    assertError(orders.place("k-retry", "o-retry", "carl", "21.00"), 422, "idempotency_key_reused");
    assertError(orders.place("k-retry", "o-retry", "carl", "20.00", "USD"), 422, "idempotency_key_reused");
    // A key of a placement is not a key of a cancellation either.
    assertError(orders.cancel("o-retry", "k-retry"), 422, "idempotency_key_reused");
    assertThat(db.credited("carl")).isEqualTo(20);
  }

  @Test
  void theSameKeySentInParallelHasOneEffect() throws Exception {
    List<Answer> answers = inParallel(8, () -> orders.place("k-par", "o-par", "dora", "10.00"));
    Set<JsonNode> bodies = new HashSet<>();
    for (Answer answer : answers) {
      assertThat(answer.status()).as(answer.body()).isEqualTo(201);
      bodies.add(answer.json());
    }
    assertThat(bodies).hasSize(1);
    assertThat(answers.stream().filter(a -> !a.replayed())).hasSize(1);
    assertThat(db.credited("dora")).isEqualTo(10);
  }

  @Test
  void anOrderIdTakenUnderAnotherKeyIsAConflictAndWritesNothing() throws Exception {
    assertThat(orders.place("k-dup-1", "o-dup", "emil", "30.00").status()).isEqualTo(201);
    long ordersBefore = db.count("customer_order");
    assertError(orders.place("k-dup-2", "o-dup", "emil", "30.00"), 409, "order_exists");
    assertError(orders.place("k-dup-3", "o-dup", "fred", "99.00"), 409, "order_exists");
    assertThat(db.credited("emil")).isEqualTo(30);
    assertThat(db.hasRow("fred")).isFalse();
    assertThat(db.count("customer_order")).isEqualTo(ordersBefore);

    // Many keys racing for one new order id: one order, one credit, the others 409.
    AtomicInteger next = new AtomicInteger();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      keys.add("k-race-" + i);
    }
    List<Answer> race =
        inParallel(6, () -> orders.place(keys.get(next.getAndIncrement()), "o-race", "emil", "5.00"));
    assertThat(race.stream().filter(a -> a.status() == 201)).hasSize(1);
    assertThat(race.stream().filter(a -> a.status() == 409)).hasSize(5);
    assertThat(db.credited("emil")).isEqualTo(35);
    // A 409 is not stored: a refused key can place another order.
    List<String> refused = new ArrayList<>();
    for (String key : keys) {
      if (orders.place(key, "o-race", "emil", "5.00").status() == 409) {
        refused.add(key);
      }
    }
    assertThat(refused).hasSize(5);
    assertThat(orders.place(refused.get(0), "o-race-2", "emil", "5.00").status()).isEqualTo(201);
    assertThat(db.credited("emil")).isEqualTo(40);
  }

  @Test
  void aCancellationClawsThePointsBackOnceWhateverTheKeys() {
    Answer placed = orders.place("k-gus", "o-gus", "gus", "42.00");
    assertThat(placed.status()).isEqualTo(201);

    Answer cancelled = orders.cancel("o-gus", "k-gus-cancel");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    JsonNode receipt = cancelled.json();
    assertThat(receipt.get("orderId").asText()).isEqualTo("o-gus");
    assertThat(receipt.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(receipt.get("pointsReversed").asLong()).isEqualTo(42);
    String token = receipt.get("token").asText();
    assertThat(orders.api().get("/v1/accounts/gus?after=" + token).json().get("balance").asLong()).isZero();

    Answer replay = orders.cancel("o-gus", "k-gus-cancel");
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.json()).isEqualTo(receipt);

    Answer otherKey = orders.cancel("o-gus", "k-gus-cancel-2");
    assertThat(otherKey.status()).isEqualTo(200);
    assertThat(otherKey.replayed()).isFalse();
    assertThat(otherKey.json()).isEqualTo(receipt);
    assertThat(db.debited("gus")).isEqualTo(42);

    JsonNode order = orders.order("o-gus").json();
    assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(order.get("pointsReversed").asLong()).isEqualTo(42);
    assertThat(order.get("cancelToken").asText()).isEqualTo(token);
    assertThat(order.get("cancelledAt").asText()).isNotBlank();
  }

  @Test
  void cancellationsInParallelClawBackOnce() throws Exception {
    assertThat(orders.place("k-hal", "o-hal", "hal", "12.00").status()).isEqualTo(201);
    List<Answer> sameKey = inParallel(4, () -> orders.cancel("o-hal", "k-hal-c"));
    List<Answer> otherKeys =
        inParallel(4, () -> orders.cancel("o-hal", "k-hal-c-" + Thread.currentThread().getId()));
    for (Answer answer : concat(sameKey, otherKeys)) {
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.json().get("pointsReversed").asLong()).isEqualTo(12);
    }
    assertThat(db.debited("hal")).isEqualTo(12);
    await().atMost(Duration.ofSeconds(10)).until(() -> orders.balance("hal") == 0);
  }

  @Test
  void cancellingAnUnknownOrderIs404AndLeavesTheKeyFree() {
    assertError(orders.cancel("o-ivy", "k-ivy-cancel"), 404, "order_not_found");
    assertError(orders.order("o-ivy"), 404, "order_not_found");
    assertThat(orders.place("k-ivy", "o-ivy", "ivy", "3.00").status()).isEqualTo(201);
    Answer cancelled = orders.cancel("o-ivy", "k-ivy-cancel");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.replayed()).isFalse();
  }

  @Test
  void badInputOnEveryEndpointGetsItsErrorAndWritesNothing() {
    long ordersBefore = db.count("customer_order");
    long keysBefore = db.count("idempotency_record");
    String valid = "{\"orderId\":\"o-jo\",\"accountId\":\"jo\",\"amount\":\"10.00\",\"currency\":\"EUR\"}";

    // POST /v1/orders
    assertError(orders.api().post("/v1/orders", null, valid), 400, "missing_idempotency_key");
    assertError(orders.api().post("/v1/orders", "bad key", valid), 400, "invalid_idempotency_key");
    assertError(orders.api().post("/v1/orders", "x".repeat(256), valid), 400, "invalid_idempotency_key");
    assertError(orders.api().post("/v1/orders", "k-jo", "{\"orderId\":"), 400, "malformed_json");
    assertError(orders.api().post("/v1/orders", "k-jo", "[]"), 400, "malformed_json");
    assertError(orders.api().post("/v1/orders", "k-jo", valid.replace("}", ",\"extra\":1}")), 400, "unknown_field");
    assertError(orders.api().post("/v1/orders", "k-jo", valid.replace("\"orderId\":\"o-jo\",", "")), 400, "invalid_order_id");
    assertError(orders.place("k-jo", "o jo", "jo", "10.00"), 400, "invalid_order_id");
    assertError(orders.place("k-jo", "o".repeat(129), "jo", "10.00"), 400, "invalid_order_id");
    assertError(orders.api().post("/v1/orders", "k-jo", valid.replace("\"o-jo\"", "17")), 400, "invalid_order_id");
    assertError(orders.place("k-jo", "o-jo", "j o", "10.00"), 400, "invalid_account_id");
    assertError(orders.api().post("/v1/orders", "k-jo", valid.replace("\"accountId\":\"jo\",", "")), 400, "invalid_account_id");
    for (String amount : List.of("0", "0.00", "-1", "1000000.01", "2000000", "10.001", "1e3", "+5", " 5", "5.", ".5", "", "abc", "10,00")) {
      assertError(orders.place("k-jo", "o-jo", "jo", amount), 400, "invalid_amount");
    }
    assertError(orders.api().post("/v1/orders", "k-jo", valid.replace("\"10.00\"", "10.00")), 400, "invalid_amount");
    assertError(orders.api().post("/v1/orders", "k-jo", valid.replace("\"amount\":\"10.00\",", "")), 400, "invalid_amount");
    for (String currency : List.of("eur", "EU", "EURO", "E1R", "")) {
      assertError(orders.place("k-jo", "o-jo", "jo", "10.00", currency), 400, "invalid_currency");
    }
    assertError(orders.api().post("/v1/orders", "k-jo", valid.replace(",\"currency\":\"EUR\"", "")), 400, "invalid_currency");
    assertError(
        orders.api().send(
            HttpRequest.newBuilder(uri("/v1/orders"))
                .header("Content-Type", "text/plain")
                .header("Idempotency-Key", "k-jo")
                .POST(HttpRequest.BodyPublishers.ofString(valid))),
        415,
        "unsupported_media_type");
    String huge = valid.replace("\"EUR\"", "\"" + "E".repeat(70_000) + "\"");
    assertError(orders.api().post("/v1/orders", "k-jo", huge), 413, "payload_too_large");
    assertError(orders.api().get("/v1/orders"), 405, "method_not_allowed");

    // GET /v1/orders/{id}
    assertError(orders.order("bad%20id"), 400, "invalid_order_id");
    assertError(orders.order("o-nobody"), 404, "order_not_found");
    assertError(
        orders.api().send(HttpRequest.newBuilder(uri("/v1/orders/o-1")).DELETE()),
        405,
        "method_not_allowed");

    // POST /v1/orders/{id}/cancel
    assertError(orders.cancel("o-jo", null), 400, "missing_idempotency_key");
    assertError(orders.cancel("bad%20id", "k-jo-c"), 400, "invalid_order_id");
    assertError(orders.api().post("/v1/orders/o-jo/cancel", "k-jo-c", "{\"reason\":\"x\"}"), 400, "unknown_field");
    assertError(orders.api().post("/v1/orders/o-jo/cancel", "k-jo-c", "nope"), 400, "malformed_json");
    assertError(
        orders.api().send(
            HttpRequest.newBuilder(uri("/v1/orders/o-jo/cancel"))
                .header("Content-Type", "text/plain")
                .header("Idempotency-Key", "k-jo-c")
                .POST(HttpRequest.BodyPublishers.ofString("x"))),
        415,
        "unsupported_media_type");
    assertError(orders.api().get("/v1/orders/o-jo/cancel"), 405, "method_not_allowed");

    // GET /v1/overdrafts
    assertError(orders.api().get("/v1/overdrafts?state=LATE"), 400, "invalid_state");
    assertError(orders.api().get("/v1/overdrafts?limit=0"), 400, "invalid_limit");
    assertError(orders.api().get("/v1/overdrafts?limit=x"), 400, "invalid_limit");
    assertError(orders.api().get("/v1/overdrafts?accountId=a%20b"), 400, "invalid_account_id");
    assertError(orders.api().post("/v1/overdrafts", "k", "{}"), 405, "method_not_allowed");

    // Nothing of it was written, and the keys it used are still free.
    assertThat(db.count("customer_order")).isEqualTo(ordersBefore);
    assertThat(db.count("idempotency_record")).isEqualTo(keysBefore);
    assertThat(db.hasRow("jo")).isFalse();
    assertThat(orders.place("k-jo", "o-jo", "jo", "10.00").status()).isEqualTo(201);
    Answer cancelWithoutBody =
        orders.api().send(
            HttpRequest.newBuilder(uri("/v1/orders/o-jo/cancel"))
                .header("Idempotency-Key", "k-jo-c")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(cancelWithoutBody.status()).as(cancelWithoutBody.body()).isEqualTo(200);
  }

  @Test
  void ordersNeedAWriteTokenAndARefusedRequestWritesNothing() {
    long ordersBefore = db.count("customer_order");
    long keysBefore = db.count("idempotency_record");
    OrderClient anonymous = orders.withToken(null);
    OrderClient reader = orders.withToken(TestTokens.READ);

    assertError(anonymous.place("k-kim", "o-kim", "kim", "8.00"), 401, "unauthorized");
    assertError(reader.place("k-kim", "o-kim", "kim", "8.00"), 403, "forbidden");
    assertError(anonymous.order("o-kim"), 401, "unauthorized");
    assertError(anonymous.overdrafts("kim"), 401, "unauthorized");
    assertThat(db.count("customer_order")).isEqualTo(ordersBefore);
    assertThat(db.count("idempotency_record")).isEqualTo(keysBefore);
    assertThat(db.hasRow("kim")).isFalse();

    Answer placed = orders.place("k-kim", "o-kim", "kim", "8.00");
    assertThat(placed.status()).as(placed.body()).isEqualTo(201);
    assertThat(placed.replayed()).isFalse();
    assertError(anonymous.cancel("o-kim", "k-kim-c"), 401, "unauthorized");
    assertError(reader.cancel("o-kim", "k-kim-c"), 403, "forbidden");
    assertThat(reader.order("o-kim").json().get("status").asText()).isEqualTo("PLACED");
    assertThat(db.debited("kim")).isZero();

    Answer cancelled = orders.cancel("o-kim", "k-kim-c");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.replayed()).isFalse();
  }

  @Test
  void theNodeTellsItIsAnOrderNodeAndServesBalancesAndOverdrafts() {
    JsonNode self = orders.api().get("/v1/node").json();
    assertThat(self.get("name").asText()).isEqualTo("order-1");
    assertThat(self.get("role").asText()).isEqualTo("order");
    assertThat(self.get("writerKey").asText()).startsWith("order-1@");
    assertThat(self.get("idempotencyScope").asText()).hasSize(32);

    assertThat(orders.api().get("/v1/accounts/nobody").json().get("balance").asLong()).isZero();
    JsonNode overdrafts = orders.api().get("/v1/overdrafts").json();
    assertThat(overdrafts.get("writerKey").asText()).isEqualTo(self.get("writerKey").asText());
    assertThat(overdrafts.get("overdrafts").isArray()).isTrue();
  }

  private static String writerKey() {
    return node.node().database().writerKey().value();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + node.httpPort() + path);
  }

  /** Runs {@code request} on {@code n} threads released at once. */
  static List<Answer> inParallel(int n, Supplier<Answer> request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Answer>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return request.get();
                }));
      }
      go.countDown();
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> f : futures) {
        answers.add(f.get(60, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdown();
    }
  }

  private static List<Answer> concat(List<Answer> a, List<Answer> b) {
    List<Answer> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static void assertError(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.error()).as(answer.body()).isEqualTo(code);
    assertThat(answer.json().get("message").asText()).isNotBlank();
  }
}
