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
import io.loyaltyledger.ledger.publish.Publisher;
import io.loyaltyledger.ledger.publish.Reconciler;
import io.loyaltyledger.ledger.replica.AccountReader;
import io.loyaltyledger.ledger.replica.Replica;
import io.loyaltyledger.ledger.replica.WriterNameGuard;
import io.loyaltyledger.ledger.writer.Adjustments;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class LedgerNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerNode.class);
  private static final Duration START_RETRY = Duration.ofSeconds(2);

  private final NodeSettings settings;
  private final WriterDatabase database;
  private final ActorSystem<Void> system;
  private final LedgerRows rows;
  private final Replica replica;
  private final Publisher publisher;
  private final Reconciler reconciler;
  private final Readiness readiness;
  private final List<NodeFeature> features;
  private final NodeMetrics metrics = new NodeMetrics();
  private Escrow escrow;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final NodeShutdown shutdown;
  private ServerBinding binding;
  private ReplicaCensus census;
  private boolean closed;

  private LedgerNode(
      NodeSettings settings,
      WriterDatabase database,
      ActorSystem<Void> system,
      List<NodeFeature> features) {
    this.settings = settings;
    this.features = features;
    this.database = database;
    this.system = system;
    BucketIds bucketIds = new BucketIds(settings.buckets());
    this.rows = new LedgerRows(database, bucketIds::bucketOf);
    this.replica = new Replica(system, bucketIds);
    this.publisher =
        new Publisher(rows, replica, database.writerKey(), settings.publisher(), metrics::publishRound);
    registerWriterGauges();
    this.reconciler =
        new Reconciler(rows, replica, database.writerKey(), settings.reconciler(), this::afterPass);
    this.readiness = Readiness.get(Adapter.toClassic(system));
    this.shutdown = new NodeShutdown(system, settings.name(), readiness, this::stopWriter);
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
    ActorSystem<Void> system;
    try {
      features.forEach(feature -> feature.prepare(database));
      system = ActorSystem.create(Behaviors.empty(), "loyalty", config);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    LedgerNode node = new LedgerNode(settings, database, system, features);
    try {
      node.bindHttp(config);
      node.startWriterWhenUp();
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  private void bindHttp(Config config) {
    Executor jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig("loyalty.jdbc-dispatcher"));
    escrow =
        Escrow.start(system, database, rows, replica, publisher::nudge, settings.transfers());
    escrow.registerMetrics(metrics.registry());
    Adjustments adjustments =
        new Adjustments(
            database,
            rows,
            new IdempotentCommands(database, publisher::nudge),
            escrow.deficits()::afterForcedDebit);
    AccountReader reader = new AccountReader(system, replica, metrics::tokenVisibleAfter);
    census =
        new ReplicaCensus(
            replica, config.getDuration("loyalty.metrics.replica-census-interval"), metrics.registry());
    HttpMetrics http = new HttpMetrics(metrics);
    AccountRoutes accounts =
        new AccountRoutes(
            settings.name(), reader, adjustments, escrow.rights(), settings.reads(), jdbc,
            readiness::isReconciled);
    NodeContext context =
        new NodeContext(
            settings, config, system, database, rows, reader, publisher::nudge, jdbc,
            readiness::isReconciled, escrow, metrics);
    NodeRoutes node =
        new NodeRoutes(
            new NodeRoutes.NodeView(
                settings.name(),
                settings.role(),
                database.writerKey().value(),
                database.incarnation(),
                settings.buckets(),
                Cluster.get(system).selfAddress().toString()),
            Cluster.get(system),
            readiness::isReady,
            publisher::backlogAgeSeconds);
    Route management = AkkaManagement.get(Adapter.toClassic(system)).getRoutes();
    AllDirectives d = new AllDirectives() {};
    List<Route> routes = new ArrayList<>(List.of(node.routes()));
    features.forEach(feature -> routes.add(feature.routes(context)));
    Route api = new ErrorHandling().wrap(() -> d.concat(accounts.routes(), routes.toArray(Route[]::new)));
    AccessControl access =
        new AccessControl(AccessPolicy.forNode(config, settings.auth()), settings.auth().tokens());
    // The gate comes first: a request without the access it needs is answered before anything
    // of it is parsed. Outside it, only the HTTP metrics, which count its 401s and 403s too.
    Route route =
        http.measure(() -> access.authorize(() -> d.concat(http.route(), management, api)));
    try {
      binding =
          Http.get(system)
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
  }

  private void startWriterWhenUp() {
    WriterNameGuard.watch(
        system,
        settings.writer().name(),
        this::reconcileThenOpen,
        older -> {
          log.error(
              "Writer name [{}] is already claimed by the live member {}: this node refuses to run."
                  + " Give every node its own loyalty.node.name.",
              settings.writer().name(),
              older.address());
          system.terminate();
        });
  }

  private void reconcileThenOpen() {
    reconciler
        .pass()
        .whenComplete(
            (report, error) -> {
              if (error != null) {
                log.warn("Start pass of the reconciler failed, retrying: {}", error.toString());
                system.scheduler().scheduleOnce(START_RETRY, this::reconcileThenOpen, system.executionContext());
                return;
              }
              log.info("Writer [{}] reconciled ({}); node is ready", database.writerKey(), report);
              reconciler.schedulePeriodic(report.verified());
              readiness.markReconciled();
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
   * Completes when the node begins to stop, whatever began it: {@link #close()}, or its cluster
   * membership ending (downed by the split brain resolver, refused when it joined).
   */
  public CompletionStage<Void> whenStopping() {
    return shutdown.whenStopping();
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public ActorSystem<Void> system() {
    return system;
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

  /** The node's escrow rights: redemptions and transfers; present once HTTP is bound. */
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
    if (closed) {
      return;
    }
    closed = true;
    shutdown.run();
    database.close();
  }

  /** The writer's part of the stop, in CoordinatedShutdown's service-stop phase. */
  private void stopWriter() {
    features.forEach(NodeFeature::close);
    if (escrow != null) {
      escrow.close();
    }
    reconciler.close();
    if (census != null) {
      census.close();
    }
    publisher.close(); // last: it publishes every commit made before, for at most flush-on-stop
  }
}
