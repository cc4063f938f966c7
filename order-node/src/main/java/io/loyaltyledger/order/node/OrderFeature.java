package io.loyaltyledger.order.node;

import io.loyaltyledger.order.metrics.OrderMetrics;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.loyaltyledger.ledger.node.NodeContext;
import io.loyaltyledger.ledger.node.NodeFeature;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.order.compensation.OrderCancellation;
import io.loyaltyledger.order.http.OrderRoutes;
import io.loyaltyledger.order.http.OverdraftRoutes;
import io.loyaltyledger.order.intake.OrderIntake;
import io.loyaltyledger.order.overdraft.OverdraftNotifier;
import io.loyaltyledger.order.overdraft.OverdraftPolicy;
import io.loyaltyledger.order.overdraft.SeenBalance;
import io.loyaltyledger.order.store.OrderSchema;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order service inside a node: its tables in the writer's database, its routes, and the
 * overdraft policy's background work. It writes through the node's writer (same transaction as
 * its own records) and the node's publisher spreads the rows it changes.
 */
public final class OrderFeature implements NodeFeature {

  private static final Logger log = LoggerFactory.getLogger(OrderFeature.class);

  private final OrderSettings settings;
  private final Clock clock;
  private volatile OverdraftPolicy overdrafts;
  private ScheduledThreadPoolExecutor overdraftThread;
  private ScheduledThreadPoolExecutor webhookThread;

  public OrderFeature(OrderSettings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public void prepare(WriterDatabase database) {
    OrderSchema.migrate(database.dataSource());
  }

  @Override
  public Route routes(NodeContext context) {
    WriterDatabase db = context.database();
    String writerKey = db.writerKey().value();
    String name = context.settings().name();
    overdraftThread = thread("overdraft-" + name);
    webhookThread = thread("overdraft-webhook-" + name);

    IdempotentCommands commands = new IdempotentCommands(db, context.publishSoon());
    OverdraftNotifier notifier =
        new OverdraftNotifier(db, settings.overdraft(), writerKey, webhookThread);
    overdrafts =
        new OverdraftPolicy(
            db,
            context.rows(),
            new SeenBalance(context.accounts(), context.rows(), db.writerKey()),
            notifier,
            settings.overdraft(),
            clock,
            context.publishSoon(),
            overdraftThread);
    OrderIntake intake =
        new OrderIntake(
            commands,
            context.rows(),
            writerKey,
            settings.earnRule(),
            clock,
            context.escrow().spending());
    OrderCancellation cancellation =
        new OrderCancellation(
            commands,
            context.rows(),
            writerKey,
            clock,
            accountId -> {
              overdrafts.afterClawback(accountId);
              // a clawback may have driven this writer's rights negative: cover it from others
              context.escrow().deficits().afterForcedDebit(accountId);
            });
    scheduleSweeps(context);
    OrderMetrics.register(context.metrics().registry(), db);

    AllDirectives d = new AllDirectives() {};
    return d.concat(
        new OrderRoutes(intake, cancellation, db, context.jdbc(), context.takesWrites()).routes(),
        new OverdraftRoutes(overdrafts, writerKey, context.jdbc()).routes());
  }

  private void scheduleSweeps(NodeContext context) {
    long interval = settings.overdraft().checkInterval().toMillis();
    overdraftThread.scheduleWithFixedDelay(
        () -> {
          if (!context.ready().getAsBoolean()) {
            // not reconciled yet, or rejoining the cluster: balances would be guesses
            return;
          }
          try {
            var report = overdrafts.sweep();
            log.debug("Overdraft sweep: {}", report);
          } catch (RuntimeException e) {
            log.warn("Overdraft sweep failed, will run again: {}", e.toString());
          }
        },
        interval,
        interval,
        TimeUnit.MILLISECONDS);
  }

  /** The overdraft policy; present once the node has wired its routes. */
  public OverdraftPolicy overdrafts() {
    if (overdrafts == null) {
      throw new IllegalStateException("the order feature is not wired into a node yet");
    }
    return overdrafts;
  }

  /**
   * A daemon thread whose delayed work (sweeps, webhook retries) is dropped at shutdown: it is
   * resumed from the database after the next start. Work never gets interrupted mid-transaction.
   */
  private static ScheduledThreadPoolExecutor thread(String name) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  @Override
  public void close() {
    for (ScheduledThreadPoolExecutor executor : new ScheduledThreadPoolExecutor[] {
      webhookThread, overdraftThread
    }) {
      if (executor == null) {
        continue;
      }
      executor.shutdown();
      try {
        if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
          log.warn("Overdraft work still running at shutdown; it resumes after the next start");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
