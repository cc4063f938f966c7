package io.loyaltyledger.order.jepsen;

import io.loyaltyledger.ledger.jepsen.CounterChecker;
import io.loyaltyledger.ledger.jepsen.History;
import io.loyaltyledger.ledger.jepsen.Outcomes;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.node.OrderClient;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Test clients placing orders through order nodes, each recorded in a {@link History}: half of
 * them plain orders (a credit of the points the earn rule gives), half redemptions (an order that
 * redeems 1–300 points and earns a few: kind {@link CounterChecker#REDEEM}, delta earned minus
 * redeemed, refused {@code 409 insufficient_points} when the rights are not there, {@code 503
 * transfer_unavailable} when a donor did not answer — both definite failures); and cancelling
 * about a third of those placed (a clawback of the points earned, a refund of the points
 * redeemed).
 *
 * <p>On accounts given as without forced debits, a cancellation is only sent when it refunds at
 * least what it claws back, so that redemptions are the only debits there and {@link
 * CounterChecker#checkNoOverdraw} applies. Every acknowledged answer must move exactly the points
 * recorded. Requests whose outcome was unknown are kept, to be sent again with their key ({@link
 * #retryUnknown}).
 */
final class OrderClients implements AutoCloseable {

  private final History history;
  private final List<String> accounts;
  private final Set<String> noForcedDebit;
  private final List<OrderClient> nodes;
  private final List<String> names;
  private final EarnRule earn;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ExecutorService threads;
  private final List<Future<?>> clients = new ArrayList<>();
  private final List<Unknown> unknown = new CopyOnWriteArrayList<>();

  /** An operation whose outcome was unknown and the request that resends it with its key. */
  private record Unknown(History.Op op, Supplier<Answer> request, int success) {}

  OrderClients(History history, List<String> accounts, List<OrderClient> nodes, List<String> names,
      EarnRule earn, int clientsPerNode, long seed) {
    this(history, accounts, List.of(), nodes, names, earn, clientsPerNode, seed);
  }

  /**
   * @param accounts accounts that any operation touches
   * @param noForcedDebit accounts on which no cancellation claws back more than it refunds
   */
  OrderClients(History history, List<String> accounts, List<String> noForcedDebit,
      List<OrderClient> nodes, List<String> names, EarnRule earn, int clientsPerNode, long seed) {
    this.history = history;
    List<String> all = new ArrayList<>(accounts);
    all.addAll(noForcedDebit);
    this.accounts = List.copyOf(all);
    this.noForcedDebit = Set.copyOf(noForcedDebit);
    this.nodes = nodes;
    this.names = names;
    this.earn = earn;
    this.threads = Executors.newFixedThreadPool(clientsPerNode * nodes.size());
    for (int c = 0; c < clientsPerNode * nodes.size(); c++) {
      int node = c % nodes.size();
      String prefix = "s" + seed + "-c" + c + "-";
      Random random = new Random(seed + c);
      clients.add(threads.submit(() -> run(node, prefix, random)));
    }
  }

  private void run(int node, String prefix, Random random) {
    OrderClient client = nodes.get(node);
    String name = names.get(node);
    for (int i = 0; running.get(); i++) {
      String orderId = prefix + i;
      String account = accounts.get(random.nextInt(accounts.size()));
      boolean redemption = random.nextBoolean();
      BigDecimal amount = redemption
          ? new BigDecimal(random.nextInt(20) + "." + (10 + random.nextInt(90)))
          : new BigDecimal((1 + random.nextInt(300)) + "." + (10 + random.nextInt(90)));
      long earned = earn.pointsFor(amount);
      // as many points redeemed as earned on average: balances stay low, rights run short
      long redeemed = redemption ? 1 + random.nextInt(300) : 0;
      History.Op place = history.invoke(redemption ? CounterChecker.REDEEM : "order", account,
          earned - redeemed, name, orderId);
      Supplier<Answer> placing = redemption
          ? () -> client.redeem("place-" + orderId, orderId, account, amount.toPlainString(), redeemed)
          : () -> client.place("place-" + orderId, orderId, account, amount.toPlainString());
      if (!send(place, movesExactly(placing, 201, earned - redeemed), 201)) {
        continue;
      }
      boolean clawsBackMore = earned > redeemed;
      if (random.nextInt(3) == 0 && !(clawsBackMore && noForcedDebit.contains(account))) {
        History.Op cancel = history.invoke("cancel", account, redeemed - earned, name, orderId);
        send(cancel, movesExactly(() -> client.cancel(orderId, "cancel-" + orderId), 200,
            redeemed - earned), 200);
      }
    }
  }

  private boolean send(History.Op op, Supplier<Answer> request, int success) {
    boolean applied = Outcomes.record(op, request, success);
    if (op.outcome() == History.Outcome.UNKNOWN) {
      unknown.add(new Unknown(op, request, success));
    }
    return applied;
  }

  /**
   * The request, whose successful answer (first or replayed) must move exactly {@code delta}
   * points: the earned minus the redeemed points of an order, the refunded minus the reversed
   * points of a cancellation.
   */
  private static Supplier<Answer> movesExactly(Supplier<Answer> request, int success, long delta) {
    return () -> {
      Answer answer = request.get();
      if (answer.status() == success) {
        var json = answer.json();
        long moved = success == 201
            ? json.get("pointsEarned").asLong() - json.path("pointsRedeemed").asLong()
            : json.get("pointsRefunded").asLong() - json.get("pointsReversed").asLong();
        if (moved != delta) {
          throw new AssertionError("expected " + delta + " points moved, answered " + answer);
        }
      }
      return answer;
    };
  }

  /**
   * Sends every request whose outcome was unknown again, with the same Idempotency-Key, and
   * resolves its operation by the answer (a replay of the first attempt's answer if it had
   * applied). Call once the clients are stopped. Returns how many were resolved.
   */
  int retryUnknown() {
    int resolved = 0;
    for (Unknown u : unknown) {
      Outcomes.retry(u.op(), u.request(), u.success());
      if (u.op().resolved()) {
        resolved++;
      }
    }
    unknown.clear();
    return resolved;
  }

  @Override
  public void close() throws Exception {
    running.set(false);
    for (Future<?> client : clients) {
      client.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();
  }
}
