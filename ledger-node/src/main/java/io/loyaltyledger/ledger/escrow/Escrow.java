package io.loyaltyledger.ledger.escrow;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.replica.Replica;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A node's escrow rights: its rights per account, redemptions under them, the transfers it gives
 * to other writers and the ones it asks for. One per node; every writer (ledger or order node)
 * is a donor.
 */
public final class Escrow implements AutoCloseable {

  private static final int LOCK_STRIPES = 1024;
  private static final int DONOR_THREADS = 4;
  private static final Duration REPLICA_TIMEOUT = Duration.ofSeconds(3);

  private final OwnRights rights;
  private final Spending spending;
  private final DeficitCover deficits;
  private final ScheduledThreadPoolExecutor background;
  private final ExecutorService donorThreads;
  private final TransferDonor donor;
  private final TransferRequester requester;

  private Escrow(OwnRights rights, Spending spending, DeficitCover deficits,
      ScheduledThreadPoolExecutor background, ExecutorService donorThreads, TransferDonor donor,
      TransferRequester requester) {
    this.donor = donor;
    this.requester = requester;
    this.donorThreads = donorThreads;
    this.rights = rights;
    this.spending = spending;
    this.deficits = deficits;
    this.background = background;
  }

  /**
   * Wires the node's escrow. It asks other writers through the cluster system the replica is
   * attached to; {@link #serve} lets them ask this one.
   */
  public static Escrow start(WriterDatabase db, LedgerRows rows, Replica replica,
      Runnable publishSoon, TransferSettings settings) {
    WriterKey me = db.writerKey();
    ReplicaAccounts accounts = ReplicaAccounts.of(replica, REPLICA_TIMEOUT);
    OwnRights rights = new OwnRights(rows, accounts, me);
    StripedLocks locks = new StripedLocks(LOCK_STRIPES);
    TransferDonor donor =
        new TransferDonor(db, rows, rights, locks, publishSoon, settings.askTimeout());
    // Donors get threads of their own: requesters block JDBC threads while they wait for donors,
    // and two nodes asking each other must never wait for each other's pools.
    ExecutorService donorThreads = Executors.newFixedThreadPool(DONOR_THREADS, r -> {
      Thread t = new Thread(r, "transfer-donor-" + me.name());
      t.setDaemon(true);
      return t;
    });
    TransferRequester requester = new TransferRequester(replica::system, accounts, rights, settings);
    ScheduledThreadPoolExecutor background = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "escrow-" + me.name());
      t.setDaemon(true);
      return t;
    });
    background.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return new Escrow(rights, new Spending(locks, rights, requester, settings),
        new DeficitCover(rights, requester, settings, background), background, donorThreads, donor,
        requester);
  }

  /**
   * Starts this writer's donor actor in {@code clusterSystem}, registered with its receptionist:
   * once for every cluster system the node runs (a node downed by the split brain resolver
   * rejoins with a new one). The donor's work, locks and counters outlive the systems.
   */
  public void serve(ActorSystem<?> clusterSystem) {
    clusterSystem.systemActorOf(
        TransferService.donor(rights.writer(), donor, donorThreads), "loyalty-transfers",
        Props.empty());
  }

  /** Redemptions with this writer's own rights only and nobody to ask (store tests). */
  public static Spending localOnly(LedgerRows rows, WriterKey me, TransferSettings settings) {
    OwnRights rights = new OwnRights(rows, ReplicaAccounts.NONE, me);
    return new Spending(new StripedLocks(64), rights, TransferRequester.NONE, settings);
  }

  /** Transfers requested and granted, for {@code GET /metrics}. */
  public void registerMetrics(PrometheusRegistry registry) {
    CounterWithCallback.builder()
        .name("loyalty_transfers_requested")
        .help("Rights transfers this writer asked for (one per shortfall)")
        .callback(callback -> callback.call(requester.requests()))
        .register(registry);
    CounterWithCallback.builder()
        .name("loyalty_transfer_points_received")
        .help("Points of rights this writer received through transfers it asked for")
        .callback(callback -> callback.call(requester.pointsReceived()))
        .register(registry);
    CounterWithCallback.builder()
        .name("loyalty_transfers_granted")
        .help("Rights transfers this writer committed as a donor")
        .callback(callback -> callback.call(donor.grants()))
        .register(registry);
    CounterWithCallback.builder()
        .name("loyalty_transfer_points_given")
        .help("Points of rights this writer gave as a donor")
        .callback(callback -> callback.call(donor.pointsGiven()))
        .register(registry);
  }

  public OwnRights rights() {
    return rights;
  }

  public Spending spending() {
    return spending;
  }

  public DeficitCover deficits() {
    return deficits;
  }

  @Override
  public void close() {
    background.shutdownNow();
    donorThreads.shutdownNow();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
