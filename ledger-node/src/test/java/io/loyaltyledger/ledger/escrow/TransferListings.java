package io.loyaltyledger.ledger.escrow;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Whether a system's receptionist lists a donor's transfer service yet: a requester that asks
 * before the listing arrived finds no donor, so tests wait for this before they redeem.
 */
public final class TransferListings {

  private TransferListings() {}

  public static boolean lists(ActorSystem<?> system, WriterKey donor) throws Exception {
    ServiceKey<TransferMessage.Request> key = TransferService.key(donor);
    Receptionist.Listing listing =
        AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                system.receptionist(), replyTo -> Receptionist.find(key, replyTo),
                Duration.ofSeconds(3), system.scheduler())
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    return !listing.getServiceInstances(key).isEmpty();
  }
}
