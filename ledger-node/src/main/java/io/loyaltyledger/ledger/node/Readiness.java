package io.loyaltyledger.ledger.node;

import akka.actor.AbstractExtensionId;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node may take writes (once the reconciler's start pass is done) and whether it
 * wants new requests (not while it stops). An Akka extension so that akka-management's readiness
 * check can find it from the ActorSystem.
 */
public final class Readiness implements Extension {

  private static final Id ID = new Id();

  private final AtomicBoolean reconciled = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();

  public static Readiness get(ActorSystem system) {
    return ID.get(system);
  }

  /** The writer has been compared with the replica: writes are taken. */
  public boolean isReconciled() {
    return reconciled.get();
  }

  /**
   * What {@code /ready} says: reconciled and not stopping. A stopping node still finishes the
   * requests it has; a load balancer stops sending it new ones.
   */
  public boolean isReady() {
    return reconciled.get() && !stopping.get();
  }

  void markReconciled() {
    reconciled.set(true);
  }

  void markStopping() {
    stopping.set(true);
  }

  private static final class Id extends AbstractExtensionId<Readiness> {
    @Override
    public Readiness createExtension(ExtendedActorSystem system) {
      return new Readiness();
    }
  }
}
