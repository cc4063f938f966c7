package io.loyaltyledger.order.jepsen;

import io.loyaltyledger.ledger.jepsen.History;
import io.loyaltyledger.ledger.jepsen.Outcomes;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.node.OrderClient;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test clients placing orders through order nodes and cancelling about a third of those placed,
 * each recorded in a {@link History}: a placement credits the points the earn rule gives, a
 * cancellation claws them back.
 */
final class OrderClients implements AutoCloseable {

  private final History history;
  private final List<String> accounts;
  private final List<OrderClient> nodes;
  private final List<String> names;
  private final EarnRule earn;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ExecutorService threads;
  private final List<Future<?>> clients = new ArrayList<>();

  OrderClients(History history, List<String> accounts, List<OrderClient> nodes, List<String> names,
      EarnRule earn, int clientsPerNode, long seed) {
    this.history = history;
    this.accounts = accounts;
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
    for (int i = 0; running.get(); i++) {
      String orderId = prefix + i;
      String account = accounts.get(random.nextInt(accounts.size()));
      BigDecimal amount = new BigDecimal((1 + random.nextInt(300)) + "." + (10 + random.nextInt(90)));
      long points = earn.pointsFor(amount);
      History.Op place = history.invoke("order", account, points, names.get(node));
      if (!Outcomes.record(place, () -> client.place("place-" + orderId, orderId, account,
          amount.toPlainString()), 201)) {
        continue;
      }
      if (random.nextInt(3) == 0) {
        History.Op cancel = history.invoke("cancel", account, -points, names.get(node));
        Outcomes.record(cancel, () -> client.cancel(orderId, "cancel-" + orderId), 200);
      }
    }
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
