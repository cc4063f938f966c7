package io.loyaltyledger.ledger.node;

import akka.actor.AbstractExtensionId;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the writer has been reconciled against this cluster system's replica (the start pass of
 * its incarnation is done). An Akka extension so that akka-management's readiness check can find
 * it from the ActorSystem.
 */
public final class Readiness implements Extension {

  private static final Id ID = new Id();

  private final AtomicBoolean reconciled = new AtomicBoolean();

  public static Readiness get(ActorSystem system) {
    return ID.get(system);
  }

  /** The writer has been compared with the replica: writes are taken. */
  public boolean isReconciled() {
    return reconciled.get();
  }

  void markReconciled() {
    reconciled.set(true);
  }

  private static final class Id extends AbstractExtensionId<Readiness> {
    @Override
    public Readiness createExtension(ExtendedActorSystem system) {
      return new Readiness();
    }
  }
}
