package io.loyaltyledger.ledger.escrow;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import io.loyaltyledger.ledger.crdt.Rights;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requester side of rights transfers: asks the writers that its replica shows holding rights
 * for the account, richest first, one at a time, until the missing points are covered or the
 * deadline passes. Each donor's reply row is merged into the local replica at once, so the
 * received rights count before gossip brings them. Blocking: runs on the JDBC executor or a
 * background thread, never on an actor.
 */
public class TransferRequester {

  private static final Logger log = LoggerFactory.getLogger(TransferRequester.class);
  private static final Duration LISTING_POLL = Duration.ofMillis(50);

  /** What a round of asking brought, and whether a donor stayed silent. */
  public record Outcome(long received, boolean someSilent) {}

  /** A requester for nodes without a cluster (store tests): nobody to ask. */
  public static final TransferRequester NONE = new TransferRequester(null, null, null, null) {
    @Override
    public Outcome request(String accountId, long missing, long deadlineNanos) {
      return new Outcome(0, false);
    }
  };

  private final Supplier<Optional<ActorSystem<?>>> clusterSystem;
  private final ReplicaAccounts replica;
  private final OwnRights rights;
  private final TransferSettings settings;

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong pointsReceived = new AtomicLong();

  /**
   * @param clusterSystem the node's current cluster actor system (its receptionist lists the
   *     donors), empty while the node is not a cluster member
   */
  public TransferRequester(Supplier<Optional<ActorSystem<?>>> clusterSystem,
      ReplicaAccounts replica, OwnRights rights, TransferSettings settings) {
    this.clusterSystem = clusterSystem;
    this.replica = replica;
    this.rights = rights;
    this.settings = settings;
  }

  /** Asks for {@code missing} points of rights until {@code deadlineNanos} (System.nanoTime). */
  public Outcome request(String accountId, long missing, long deadlineNanos) {
    Outcome outcome = ask(accountId, missing, deadlineNanos);
    requests.incrementAndGet();
    pointsReceived.addAndGet(outcome.received());
    return outcome;
  }

  /** Transfer requests made (one per shortfall, to as many donors as it took). */
  public long requests() {
    return requests.get();
  }

  /** Points of rights received through them. */
  public long pointsReceived() {
    return pointsReceived.get();
  }

  private Outcome ask(String accountId, long missing, long deadlineNanos) {
    Optional<ActorSystem<?>> cluster = clusterSystem.get();
    if (cluster.isEmpty()) {
      // Not a cluster member right now (rejoining): whoever holds the rights cannot be asked.
      return new Outcome(0, true);
    }
    ActorSystem<?> system = cluster.get();
    WriterKey me = rights.writer();
    List<Rights.Holder> donors = Rights.donors(rights.peek(accountId).account(), me);
    long received = 0;
    boolean silent = false;
    for (Rights.Holder donor : donors) {
      if (received >= missing) {
        break;
      }
      if (remaining(deadlineNanos).isZero()) {
        silent = true;
        break;
      }
      Optional<ActorRef<TransferMessage.Request>> ref = find(system, donor.writer(), deadlineNanos);
      if (ref.isEmpty()) {
        silent = true;
        continue;
      }
      String id = UUID.randomUUID().toString();
      long asked = missing - received;
      Optional<TransferMessage.Reply> reply = ask(system, ref.get(), id, accountId, me, asked, deadlineNanos);
      if (reply.isEmpty()) {
        // The reply may be lost while the transfer committed: the same id replays it.
        reply = ask(system, ref.get(), id, accountId, me, asked, deadlineNanos);
      }
      if (reply.isEmpty()) {
        silent = true;
        continue;
      }
      TransferMessage.Reply r = reply.get();
      if (r.row() != null) {
        replica.adopt(accountId, r.donor(), r.row());
      }
      received += r.given();
      if (r.given() == 0 && r.refusal() != null && !TransferDonor.NO_RIGHTS.equals(r.refusal())) {
        silent = true; // busy, starting or failing: it may give later
      }
      log.debug("Asked {} for {} of {}: got {} ({})", donor.writer(), asked, accountId,
          r.given(), r.refusal() == null ? "ok" : r.refusal());
    }
    return new Outcome(received, silent);
  }

  /**
   * The donor's transfer actor. Registrations spread through the cluster like any replicated data:
   * a node that just joined may not be listed yet, so an empty listing is asked again for up to
   * one ask-timeout.
   */
  private Optional<ActorRef<TransferMessage.Request>> find(ActorSystem<?> system, WriterKey donor,
      long deadlineNanos) {
    long until = System.nanoTime() + bounded(deadlineNanos).toNanos();
    while (true) {
      Optional<ActorRef<TransferMessage.Request>> found = findOnce(system, donor, deadlineNanos);
      if (found.isPresent() || System.nanoTime() + LISTING_POLL.toNanos() >= until) {
        return found;
      }
      try {
        Thread.sleep(LISTING_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  private Optional<ActorRef<TransferMessage.Request>> findOnce(ActorSystem<?> system,
      WriterKey donor, long deadlineNanos) {
    ServiceKey<TransferMessage.Request> key = TransferService.key(donor);
    if (bounded(deadlineNanos).isZero()) {
      return Optional.empty();
    }
    try {
      Receptionist.Listing listing =
          AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                  system.receptionist(),
                  replyTo -> Receptionist.find(key, replyTo),
                  bounded(deadlineNanos),
                  system.scheduler())
              .toCompletableFuture()
              .get(bounded(deadlineNanos).toMillis() + 50, TimeUnit.MILLISECONDS);
      Set<ActorRef<TransferMessage.Request>> instances = listing.getServiceInstances(key);
      return instances.stream().findFirst();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Optional<TransferMessage.Reply> ask(ActorSystem<?> system,
      ActorRef<TransferMessage.Request> donor, String id,
      String accountId, WriterKey me, long amount, long deadlineNanos) {
    Duration timeout = bounded(deadlineNanos);
    if (timeout.isZero()) {
      return Optional.empty();
    }
    try {
      TransferMessage.Reply reply =
          AskPattern.<TransferMessage.Request, TransferMessage.Reply>ask(
                  donor,
                  replyTo -> new TransferMessage.Request(id, accountId, me, amount, replyTo),
                  timeout,
                  system.scheduler())
              .toCompletableFuture()
              .get(timeout.toMillis() + 50, TimeUnit.MILLISECONDS);
      // Only this request's reply: the row it carries is merged into the replica.
      return id.equals(reply.transferId()) ? Optional.of(reply) : Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** One ask: at most ask-timeout, and never past the deadline. */
  private Duration bounded(long deadlineNanos) {
    Duration left = remaining(deadlineNanos);
    return left.compareTo(settings.askTimeout()) < 0 ? left : settings.askTimeout();
  }

  private static Duration remaining(long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }
}
