package io.loyaltyledger.ledger.node;

import io.loyaltyledger.ledger.http.HttpMetrics;
import io.loyaltyledger.ledger.metrics.NodeMetrics;
import io.loyaltyledger.ledger.metrics.ReplicaCensus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Cluster;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.escrow.Escrow;
import io.loyaltyledger.ledger.http.AccountRoutes;
import io.loyaltyledger.ledger.http.ErrorHandling;
import io.loyaltyledger.ledger.http.NodeRoutes;
import io.loyaltyledger.ledger.http.auth.AccessControl;
import io.loyaltyledger.ledger.http.auth.AccessPolicy;
import io.loyaltyledger.ledger.node.ClusterMembership.Incarnation;
import io.loyaltyledger.ledger.publish.Publisher;
import io.loyaltyledger.ledger.publish.Reconciler;
import io.loyaltyledger.ledger.replica.AccountReader;
import io.loyaltyledger.ledger.replica.Replica;
import io.loyaltyledger.ledger.writer.Adjustments;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ledger node: a cluster member holding a replica of every bucket, a writer with its own
 * database (for administrative adjustments), and the HTTP API. Writes are taken once the
 * reconciler's start pass has compared the database with the replica.
 *
 * <p>The node has two parts. The long-lived one — the writer database, the publisher and
 * reconciler, escrow, the features (the order service) and the HTTP server on a local actor
 * system of its own — lives as long as the process. The cluster part ({@link ClusterMembership}:
 * an actor system with the cluster provider, its replicator, receptionist and split brain
 * resolver) is recreated when it is downed: the node then keeps taking writes into its database,
 * answers reads {@code 503 replica_unavailable}, and rejoins as a new incarnation of its member,
 * after which the reconciler's start pass runs again and the publisher sends what was committed
 * meanwhile (merge is a maximum of absolute totals: nothing counts twice).
 */
public final class LedgerNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerNode.class);
  private static final Duration START_RETRY = Duration.ofSeconds(2);

  private final NodeSettings settings;
  private final WriterDatabase database;
  private final ActorSystem<Void> front;
  private final LedgerRows rows;
  private final Replica replica;
  private final Publisher publisher;
  private final Reconciler reconciler;
  private final Escrow escrow;
  private final ClusterMembership membership;
  private final List<NodeFeature> features;
  private final NodeMetrics metrics = new NodeMetrics();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final NodeShutdown shutdown;
  private final CompletableFuture<Void> httpBound = new CompletableFuture<>();
  private final CompletableFuture<String> refused = new CompletableFuture<>();
  // The akka-management routes (/ready, /alive) of the current cluster system.
  private volatile ClusterRoutes clusterRoutes;
  private volatile String address = "";
  // Set when the stop begins: /ready says no, no new incarnation is reconciled.
  private volatile boolean stopping;
  // Set once the requests in flight are done: writes are refused from then on.
  private volatile boolean closed;
  private ServerBinding binding;
  private ReplicaCensus census;
  private boolean closing;

  private record ClusterRoutes(Incarnation incarnation, Route management) {}

  private LedgerNode(
      NodeSettings settings,
      Config config,
      WriterDatabase database,
      ActorSystem<Void> front,
      List<NodeFeature> features) {
    this.settings = settings;
    this.features = features;
    this.database = database;
    this.front = front;
    BucketIds bucketIds = new BucketIds(settings.buckets());
    this.rows = new LedgerRows(database, bucketIds::bucketOf);
    this.replica = new Replica(bucketIds);
    this.publisher =
        new Publisher(rows, replica, database.writerKey(), settings.publisher(), metrics::publishRound);
    registerWriterGauges();
    this.reconciler =
        new Reconciler(rows, replica, database.writerKey(), settings.reconciler(), this::afterPass);
    this.escrow =
        Escrow.start(database, rows, replica, publisher::nudge, settings.transfers());
    escrow.registerMetrics(metrics.registry());
    this.membership =
        new ClusterMembership(config, settings.writer().name(), settings.rejoin(), new Hooks());
    this.shutdown = new NodeShutdown(front, settings.name(), () -> stopping = true, this::stopWriter);
  }

  private void registerWriterGauges() {
    GaugeWithCallback.builder()
        .name("loyalty_publisher_pending_rows")
        .help("Rows of this writer not yet acknowledged by a majority (version > published_version)")
        .callback(callback -> callback.call(rows.pendingCount()))
        .register(metrics.registry());
    GaugeWithCallback.builder()
        .name("loyalty_publisher_backlog_age_seconds")
        .help("About the age of the oldest pending row: since the publisher's rounds began to find"
            + " rows to send, 0 when caught up")
        .callback(callback -> callback.call(publisher.backlogAgeSeconds()))
        .register(metrics.registry());
    CounterWithCallback.builder()
        .name("loyalty_publisher_rows_acknowledged")
        .help("Rows this process has seen acknowledged by a majority")
        .callback(callback -> callback.call(publisher.publishedRows()))
        .register(metrics.registry());
    GaugeWithCallback.builder()
        .name("loyalty_cluster_incarnation")
        .help("Cluster actor systems this process has run: above 1 once the node was downed and"
            + " rejoined")
        .callback(callback -> callback.call(membership.incarnations()))
        .register(metrics.registry());
    GaugeWithCallback.builder()
        .name("loyalty_cluster_member")
        .help("1 while the node is an Up, reconciled cluster member with its replica; 0 while it"
            + " is joining or rejoining")
        .callback(callback -> callback.call(isReady() ? 1 : 0))
        .register(metrics.registry());
  }

  /** Opens the writer database, joins the cluster and binds the HTTP API. */
  public static LedgerNode start(Config config) {
    return start(config, List.of());
  }

  /** A node running {@code features} on top of the ledger core. */
  public static LedgerNode start(Config config, List<NodeFeature> features) {
    NodeSettings settings = NodeSettings.fromConfig(config);
    ClusterTls.verify(config);
    WriterDatabase database = WriterDatabase.open(settings.writer(), settings.buckets());
    ActorSystem<Void> front;
    try {
      features.forEach(feature -> feature.prepare(database));
      front =
          ActorSystem.create(
              Behaviors.empty(),
              "loyalty-front",
              config.getConfig("loyalty.front-system").withFallback(config));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    LedgerNode node;
    try {
      node = new LedgerNode(settings, config, database, front, features);
    } catch (RuntimeException e) {
      front.terminate();
      database.close();
      throw e;
    }
    try {
      node.membership.start();
      node.bindHttp(config);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** What the node does with each cluster incarnation. */
  private final class Hooks implements ClusterMembership.Hooks {
    @Override
    public void created(Incarnation incarnation) {
      akka.actor.ActorSystem classic = Adapter.toClassic(incarnation.system());
      if (incarnation.number() == 1) {
        address = Cluster.get(classic).selfAddress().toString();
      }
      clusterRoutes =
          new ClusterRoutes(incarnation, AkkaManagement.get(classic).getRoutes());
    }

    @Override
    public void up(Incarnation incarnation) {
      // The writer starts once HTTP is bound (the first time), so started() implies httpPort().
      httpBound.thenRun(() -> joined(incarnation));
    }

    @Override
    public void ending(Incarnation incarnation) {
      replica.detach(incarnation.system());
    }

    @Override
    public void refused(String why) {
      refused.complete(why);
    }
  }

  /** An incarnation's member is Up: use its replica and let other writers ask for transfers. */
  private void joined(Incarnation incarnation) {
    if (stopping || !membership.isCurrent(incarnation)) {
      return;
    }
    replica.attach(incarnation.system());
    escrow.serve(incarnation.system());
    reconcile(incarnation);
  }

  private void bindHttp(Config config) {
    Executor jdbc = front.dispatchers().lookup(DispatcherSelector.fromConfig("loyalty.jdbc-dispatcher"));
    Adjustments adjustments =
        new Adjustments(
            database,
            rows,
            new IdempotentCommands(database, publisher::nudge),
            escrow.deficits()::afterForcedDebit);
    AccountReader reader = new AccountReader(front, replica, metrics::tokenVisibleAfter);
    census =
        new ReplicaCensus(
            replica, config.getDuration("loyalty.metrics.replica-census-interval"), metrics.registry());
    HttpMetrics http = new HttpMetrics(metrics);
    AccountRoutes accounts =
        new AccountRoutes(
            settings.name(), reader, adjustments, escrow.rights(), settings.reads(), jdbc,
            this::takesWrites);
    NodeContext context =
        new NodeContext(
            settings, config, front, database, rows, reader, publisher::nudge, jdbc,
            this::isReady, this::takesWrites, escrow, metrics);
    NodeRoutes node =
        new NodeRoutes(
            new NodeRoutes.NodeView(
                settings.name(),
                settings.role(),
                database.writerKey().value(),
                database.incarnation(),
                settings.buckets(),
                address),
            new MembershipView(),
            this::isReady,
            publisher::backlogAgeSeconds);
    AllDirectives d = new AllDirectives() {};
    List<Route> routes = new ArrayList<>(List.of(node.routes()));
    features.forEach(feature -> routes.add(feature.routes(context)));
    // Every route is built once here: a Java DSL directive calls its inner Supplier on every
    // request, so a route built inside one would be built again for each.
    Route endpoints = d.concat(accounts.routes(), routes.toArray(Route[]::new));
    ErrorHandling errors = new ErrorHandling();
    Route api = errors.wrap(() -> endpoints);
    AccessControl access =
        new AccessControl(AccessPolicy.forNode(config, settings.auth()), settings.auth().tokens());
    // The gate comes first: a request without the access it needs is answered before anything
    // of it is parsed. Outside it, only the HTTP metrics, which count its 401s and 403s too.
    Route gated = d.concat(http.route(), managementRoutes(d), api);
    Route route =
        errors.answeringTimeouts(() -> http.measure(() -> access.authorize(() -> gated)));
    try {
      binding =
          Http.get(front)
              .newServerAt(settings.httpHost(), settings.httpPort())
              .bind(route)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not bind HTTP on " + settings.httpHost() + ":" + settings.httpPort(), e);
    }
    shutdown.add(binding);
    log.info("Node [{}] serves HTTP on {}", settings.name(), binding.localAddress());
    httpBound.complete(null);
  }

  /**
   * akka-management's routes ({@code /ready}, {@code /alive}) of the current cluster system; while
   * there is none, {@code /alive} is fine (the process serves and takes writes) and {@code /ready}
   * is not (reads would fail: no replica).
   */
  private Route managementRoutes(AllDirectives d) {
    return d.extractRequestContext(
        request -> {
          ClusterRoutes current = clusterRoutes;
          if (!stopping && current != null && membership.isCurrent(current.incarnation())) {
            return current.management();
          }
          return d.concat(
              d.path("ready", () -> d.get(() -> d.complete(
                  StatusCodes.INTERNAL_SERVER_ERROR, "Not Healthy: " + membershipState()))),
              d.path("alive", () -> d.get(() -> d.complete(StatusCodes.OK, "OK"))));
        });
  }

  /** What {@code GET /v1/node} and {@code /v1/cluster} show of the cluster membership. */
  private final class MembershipView implements NodeRoutes.Membership {
    @Override
    public Optional<Cluster> cluster() {
      // Only a member that is (or was) Up: a joining incarnation knows no cluster yet.
      return membership
          .current()
          .filter(Incarnation::isUp)
          .map(i -> Cluster.get(Adapter.toClassic(i.system())));
    }

    @Override
    public String state() {
      return membershipState();
    }

    @Override
    public int incarnation() {
      return membership.incarnations();
    }
  }

  private String membershipState() {
    if (stopping || membership.isClosing()) {
      return "stopping";
    }
    if (membership.isRefused()) {
      return "refused";
    }
    if (isReady()) {
      return "up";
    }
    return membership.incarnations() <= 1 ? "joining" : "rejoining";
  }

  /**
   * Ready: the current cluster incarnation is Up, its replica attached and the writer reconciled
   * against it — what {@code /ready} and {@code GET /v1/node} report.
   */
  private boolean isReady() {
    return !stopping
        && membership
            .current()
            .map(i -> Readiness.get(Adapter.toClassic(i.system())).isReconciled())
            .orElse(false);
  }

  /**
   * Writes (adjustments, orders, cancellations) only need the database: taken from the end of the
   * first start pass on, also while the node is not a cluster member.
   */
  private boolean takesWrites() {
    return started.isDone() && !closed;
  }

  private void reconcile(Incarnation incarnation) {
    reconciler
        .pass()
        .whenComplete(
            (report, error) -> {
              if (stopping || !membership.isCurrent(incarnation)) {
                return; // the next incarnation runs its own pass once it is Up
              }
              if (error != null) {
                log.warn("Start pass of the reconciler failed, retrying: {}", error.toString());
                front.scheduler().scheduleOnce(
                    START_RETRY, () -> reconcile(incarnation), front.executionContext());
                return;
              }
              if (started.isDone()) {
                log.info(
                    "Writer [{}] reconciled again after rejoining the cluster as incarnation {}"
                        + " ({}); node is ready",
                    database.writerKey(), incarnation.number(), report);
              } else {
                log.info("Writer [{}] reconciled ({}); node is ready", database.writerKey(), report);
                reconciler.schedulePeriodic(report.verified());
              }
              Readiness.get(Adapter.toClassic(incarnation.system())).markReconciled();
              started.complete(null);
            });
  }

  private void afterPass(Reconciler.PassReport report) {
    if (report.verified()) {
      publisher.open();
    } else {
      log.warn(
          "Writer [{}] could not compare its database with a majority of replicas; commits are"
              + " kept and published once it can",
          database.writerKey());
    }
    if (report.healed() > 0 || report.republished() > 0) {
      publisher.nudge();
    }
  }

  /** Completes when the node takes writes. */
  public CompletableFuture<Void> started() {
    return started;
  }

  /**
   * Completes, with the reason, when the node refuses to run: the cluster refused its
   * configuration (another bucket count), or an older live member claims its writer name. The
   * node then has no cluster part and does not rejoin; its process should stop.
   */
  public CompletableFuture<String> refused() {
    return refused;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  /**
   * The cluster actor system of the current incarnation, or {@code null} between incarnations: a
   * node downed by the split brain resolver replaces it with a new one when it rejoins. Ask again
   * rather than keep it.
   */
  public ActorSystem<Void> system() {
    return membership.current().map(Incarnation::system).orElse(null);
  }

  /** Which cluster incarnation of this process is the latest: 1, and one more per rejoin. */
  public int clusterIncarnation() {
    return membership.incarnations();
  }

  /** Whether the node is an Up, reconciled cluster member (what {@code /ready} reports). */
  public boolean isClusterReady() {
    return isReady();
  }

  public WriterDatabase database() {
    return database;
  }

  public LedgerRows rows() {
    return rows;
  }

  public Replica replica() {
    return replica;
  }

  public Publisher publisher() {
    return publisher;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  /** The node's escrow rights: redemptions and transfers. */
  public Escrow escrow() {
    return escrow;
  }

  public NodeSettings settings() {
    return settings;
  }

  /**
   * Stops the node gracefully (see {@link NodeShutdown}): finishes the requests in flight,
   * publishes what is pending, leaves the cluster, then closes the database. Does nothing the
   * second time.
   */
  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    shutdown.run();
    // The cluster part last: the publisher has sent what was pending through it.
    membership.close();
    database.close();
  }

  /** The writer's part of the stop, in CoordinatedShutdown's service-stop phase. */
  private void stopWriter() {
    closed = true;
    features.forEach(NodeFeature::close);
    escrow.close();
    reconciler.close();
    if (census != null) {
      census.close();
    }
    publisher.close(); // last: it publishes every commit made before, for at most flush-on-stop
  }
}
