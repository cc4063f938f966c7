package io.loyaltyledger.ledger.node;

import akka.actor.typed.ActorSystem;
import io.loyaltyledger.ledger.escrow.Escrow;
import io.loyaltyledger.ledger.metrics.NodeMetrics;
import io.loyaltyledger.ledger.replica.AccountReader;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/** What a {@link NodeFeature} may use of the node it runs in. */
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
    Escrow escrow,
    NodeMetrics metrics) {}
