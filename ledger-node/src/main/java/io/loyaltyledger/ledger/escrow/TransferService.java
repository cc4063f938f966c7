package io.loyaltyledger.ledger.escrow;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor through which other writers ask this one for rights. It is registered with the
 * cluster receptionist under a key per writer key (name and incarnation), so a request always
 * reaches the writer whose row the requester saw, never a later incarnation of its name. It only
 * hands each request to the {@link TransferDonor} on the JDBC executor and sends the answer back.
 */
public final class TransferService {

  // Not the actor context's logger: the answer is sent from a JDBC thread, where the context may
  // not be touched (Akka throws, and the requester would get no answer at all).
  private static final Logger log = LoggerFactory.getLogger(TransferService.class);

  private TransferService() {}

  public static ServiceKey<TransferMessage.Request> key(WriterKey writer) {
    return ServiceKey.create(TransferMessage.Request.class, "loyalty-transfers-" + writer.value());
  }

  public static Behavior<TransferMessage.Request> donor(
      WriterKey me, TransferDonor donor, Executor jdbc) {
    return Behaviors.setup(
        context -> {
          context.getSystem().receptionist().tell(Receptionist.register(key(me), context.getSelf()));
          return Behaviors.receiveMessage(
              request -> {
                CompletableFuture.supplyAsync(() -> donor.give(request), jdbc)
                    .whenComplete(
                        (reply, error) -> {
                          if (error != null) {
                            log.warn("Transfer {} failed: {}", request.transferId(),
                                error.toString());
                            reply = new TransferMessage.Reply(
                                request.transferId(), me, 0, null, "failed: " + error.getClass().getSimpleName());
                          }
                          request.replyTo().tell(reply);
                        });
                return Behaviors.same();
              });
        });
  }
}
