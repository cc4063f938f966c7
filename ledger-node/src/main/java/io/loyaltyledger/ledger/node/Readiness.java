package io.loyaltyledger.ledger.node;

import akka.actor.AbstractExtensionId;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node may take writes: set once the reconciler's start pass is done. An Akka
 * extension so that akka-management's readiness check can find it from the ActorSystem.
 */
public final class Readiness implements Extension {

  private static final Id ID = new Id();

  private final AtomicBoolean ready = new AtomicBoolean();

  public static Readiness get(ActorSystem system) {
    return ID.get(system);
  }

  public boolean isReady() {
    return ready.get();
  }

  void markReady() {
    ready.set(true);
  }

  private static final class Id extends AbstractExtensionId<Readiness> {
    @Override
    public Readiness createExtension(ExtendedActorSystem system) {
      return new Readiness();
    }
  }
}
