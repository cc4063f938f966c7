package io.loyaltyledger.ledger.jepsen;

import io.loyaltyledger.ledger.node.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * Test clients posting adjustments (credits and forced debits) to random nodes until stopped,
 * each recorded in a {@link History}: 201 is ok, any other 4xx failed (nothing applied), a 5xx
 * or a lost connection unknown (see {@link Outcomes}). Accounts given as credit-only get credits
 * alone, so that redemptions are the only debits there (see {@link
 * CounterChecker#checkNoOverdraw}).
 */
public final class AdjustmentClients implements AutoCloseable {

  private final History history;
  private final List<String> accounts;
  private final Set<String> creditOnly;
  private final int nodes;
  private final IntFunction<ApiClient> api;
  private final IntFunction<String> nodeName;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ExecutorService threads;
  private final List<Future<?>> clients = new ArrayList<>();

  public AdjustmentClients(History history, List<String> accounts, int nodes,
      IntFunction<ApiClient> api, IntFunction<String> nodeName, int clients, long seed) {
    this(history, accounts, List.of(), nodes, api, nodeName, clients, seed);
  }

  /** As above, adjusting {@code creditOnly} accounts as well, with credits only. */
  public AdjustmentClients(History history, List<String> accounts, List<String> creditOnly,
      int nodes, IntFunction<ApiClient> api, IntFunction<String> nodeName, int clients, long seed) {
    this.history = history;
    List<String> all = new ArrayList<>(accounts);
    all.addAll(creditOnly);
    this.accounts = List.copyOf(all);
    this.creditOnly = Set.copyOf(creditOnly);
    this.nodes = nodes;
    this.api = api;
    this.nodeName = nodeName;
    this.threads = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      Random random = new Random(seed + c);
      this.clients.add(threads.submit(() -> run(random)));
    }
  }

  private void run(Random random) {
    while (running.get()) {
      int node = random.nextInt(nodes);
      String account = accounts.get(random.nextInt(accounts.size()));
      long points = random.nextInt(4) == 0 && !creditOnly.contains(account)
          ? -(1 + random.nextInt(20)) : 1 + random.nextInt(50);
      History.Op op = history.invoke("adjust", account, points, nodeName.apply(node));
      Outcomes.record(op,
          () -> api.apply(node).adjust(account, UUID.randomUUID().toString(), points, "jepsen"), 201);
    }
  }

  /** Stops the clients and waits for the operations in flight to end. */
  @Override
  public void close() throws Exception {
    running.set(false);
    for (Future<?> client : clients) {
      client.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();
  }
}
