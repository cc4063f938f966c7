package io.loyaltyledger.ledger.node;

import akka.actor.ActorSystem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** akka-management readiness check: ready once the writer has been reconciled with the replica. */
public final class ReconciledCheck implements Supplier<CompletionStage<Boolean>> {

  private final Readiness readiness;

  public ReconciledCheck(ActorSystem system) {
    this.readiness = Readiness.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(readiness.isReconciled());
  }
}
