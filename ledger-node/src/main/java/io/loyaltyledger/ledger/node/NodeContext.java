package io.loyaltyledger.ledger.node;

import akka.actor.typed.ActorSystem;
import io.loyaltyledger.ledger.escrow.Escrow;
import io.loyaltyledger.ledger.metrics.NodeMetrics;
import io.loyaltyledger.ledger.replica.AccountReader;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * What a {@link NodeFeature} may use of the node it runs in.
 *
 * @param system the node's long-lived local actor system (HTTP, timers): not the cluster one,
 *     which a node downed by the split brain resolver replaces when it rejoins
 * @param ready whether the node is an Up cluster member, its writer reconciled with the replica:
 *     work that needs the replica's view (balances) waits for it
 * @param takesWrites whether the writer takes commands: from the end of the first start pass on,
 *     also while the node rejoins the cluster (commits then wait, pending, for the publisher)
 */
public record NodeContext(
    NodeSettings settings,
    com.typesafe.config.Config config,
    ActorSystem<?> system,
    WriterDatabase database,
    LedgerRows rows,
    AccountReader accounts,
    Runnable publishSoon,
    Executor jdbc,
    BooleanSupplier ready,
    BooleanSupplier takesWrites,
    Escrow escrow,
    NodeMetrics metrics) {}
