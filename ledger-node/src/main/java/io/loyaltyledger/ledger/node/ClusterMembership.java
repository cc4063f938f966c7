package io.loyaltyledger.ledger.node;

import akka.Done;
import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Cluster;
import akka.cluster.ClusterEvent;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.loyaltyledger.ledger.publish.BackgroundThread;
import io.loyaltyledger.ledger.replica.WriterNameGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's cluster part: an actor system with the cluster provider (Distributed Data's
 * replicator, the receptionist, the split brain resolver), created, watched and — whenever it ends
 * for any reason other than the node stopping or being refused — created again, with backoff, as
 * a new incarnation of the node's member. A system downed by the split brain resolver can never
 * rejoin; a new one on the same Artery port and LMDB directory can, once the old one has
 * terminated (which unbinds the port and closes the LMDB environment).
 *
 * <p>A rejoining node only joins a cluster that still runs: its seed nodes are the configured
 * ones and the members it last saw alive, itself left out, so that it never forms a cluster of
 * its own while it is still cut off (that island would never merge back). Only when its last view
 * had no member left alive (every node downed at once) does it use the configured seed nodes as a
 * process start would, and the first of them may form the cluster again.
 */
final class ClusterMembership implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);
  private static final Duration TERMINATION_WAIT = Duration.ofSeconds(30);
  /** How long a stopping node waits for its cluster system after the last shutdown phase. */
  private static final Duration TERMINATION_GRACE = Duration.ofSeconds(5);

  /** The coordinated-shutdown reason of a member that gave way to an older claimant of its name. */
  static final CoordinatedShutdown.Reason WRITER_NAME_CLAIMED = new CoordinatedShutdown.Reason() {
    @Override
    public String toString() {
      return "WriterNameClaimed";
    }
  };

  /** What the node does with each incarnation; called on Akka or the membership's own thread. */
  interface Hooks {
    /** A new cluster system exists and is joining. */
    void created(Incarnation incarnation);

    /** Its member is Up, and no older live member claims this node's writer name. */
    void up(Incarnation incarnation);

    /** It is ending (its coordinated shutdown began, or it terminated): stop using it. */
    void ending(Incarnation incarnation);

    /** The node must not run: the cluster refused its configuration, or its name is taken. */
    void refused(String why);
  }

  /** One cluster actor system of this process. */
  static final class Incarnation {
    private final int number;
    private final ActorSystem<Void> system;
    private final Address selfAddress;
    private volatile boolean up;
    private volatile boolean ending;
    // The other members this incarnation sees Up, until its cluster shuts down (then kept as the
    // last view: the cluster publishes every member as removed when it stops).
    private final Set<Address> alive = ConcurrentHashMap.newKeySet();
    private volatile boolean lastView;

    private Incarnation(int number, ActorSystem<Void> system) {
      this.number = number;
      this.system = system;
      this.selfAddress = Cluster.get(Adapter.toClassic(system)).selfAddress();
    }

    /** 1 for the system the node started with, then one more for every rejoin. */
    int number() {
      return number;
    }

    ActorSystem<Void> system() {
      return system;
    }

    /** Its member has been Up (and the writer name was clear). */
    boolean isUp() {
      return up;
    }

    boolean isEnding() {
      return ending;
    }
  }

  private final Config config;
  private final String writerName;
  private final RejoinSettings rejoin;
  private final Hooks hooks;
  private final ScheduledExecutorService thread;
  private final Object lock = new Object();
  private volatile Incarnation current;
  private volatile int incarnations;
  private volatile boolean closing;
  private volatile boolean refused;
  // Rejoin attempts since an incarnation was last Up: the backoff grows with them.
  private int attempt;
  // The other members the last incarnation that was Up saw alive when it ended.
  private volatile List<Address> survivors = List.of();

  ClusterMembership(Config config, String writerName, RejoinSettings rejoin, Hooks hooks) {
    this.config = config;
    this.writerName = writerName;
    this.rejoin = rejoin;
    this.hooks = hooks;
    // close() stops it with shutdownNow(): a rejoin scheduled for later never runs.
    this.thread = BackgroundThread.named("cluster-membership-" + writerName);
  }

  /** Creates the first incarnation; throws when its actor system cannot start (port in use). */
  void start() {
    create(config);
  }

  /** The live incarnation: empty between incarnations and once the current one is ending. */
  Optional<Incarnation> current() {
    Incarnation incarnation = current;
    return incarnation == null || incarnation.ending ? Optional.empty() : Optional.of(incarnation);
  }

  /** Whether {@code incarnation} is the live one. */
  boolean isCurrent(Incarnation incarnation) {
    return current == incarnation && !incarnation.ending;
  }

  /** How many cluster systems this process has created. */
  int incarnations() {
    return incarnations;
  }

  boolean isRefused() {
    return refused;
  }

  boolean isClosing() {
    return closing;
  }

  private Incarnation create(Config systemConfig) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "loyalty", systemConfig);
    try {
      synchronized (lock) {
        if (closing) {
          throw new IllegalStateException("the node is stopping");
        }
        return watch(system);
      }
    } catch (RuntimeException e) {
      synchronized (lock) {
        if (current != null && current.system == system) {
          current = null; // not an incarnation that ended: nothing to rejoin after it
        }
      }
      system.terminate();
      awaitTermination(system, TERMINATION_WAIT);
      throw e;
    }
  }

  private Incarnation watch(ActorSystem<Void> system) {
    Incarnation incarnation = new Incarnation(incarnations + 1, system);
    incarnations = incarnation.number;
    current = incarnation;
    akka.actor.ActorSystem classic = Adapter.toClassic(system);
    // The first phase of a coordinated shutdown (downed, refused): the node stops using the
    // system at once — reads answer 503 rather than from a replica nobody updates any more. When
    // the JVM exits, the node's own shutdown hook publishes what is pending first, through the
    // system as long as it runs; it is let go once terminated.
    CoordinatedShutdown.get(classic)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "loyalty-leave-cluster-part",
            () -> {
              Optional<CoordinatedShutdown.Reason> reason =
                  CoordinatedShutdown.get(classic).getShutdownReason();
              if (!(reason.isPresent() && reason.get() == CoordinatedShutdown.jvmExitReason())) {
                ending(incarnation);
              }
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    system
        .getWhenTerminated()
        .thenRunAsync(() -> terminated(incarnation), thread);
    system.systemActorOf(memberWatch(incarnation), "loyalty-member-watch", Props.empty());
    hooks.created(incarnation);
    WriterNameGuard.watch(
        system,
        writerName,
        () -> up(incarnation),
        older -> {
          log.error(
              "Writer name [{}] is already claimed by the live member {}: this node refuses to"
                  + " run. Give every node its own loyalty.node.name.",
              writerName,
              older.address());
          CoordinatedShutdown.get(classic).run(WRITER_NAME_CLAIMED);
        });
    return incarnation;
  }

  private void up(Incarnation incarnation) {
    synchronized (lock) {
      if (!isCurrent(incarnation) || closing) {
        return;
      }
      incarnation.up = true;
    }
    if (incarnation.number > 1) {
      log.info(
          "Member {} is Up again as incarnation {} of this node",
          incarnation.selfAddress,
          incarnation.number);
    }
    hooks.up(incarnation);
  }

  private void ending(Incarnation incarnation) {
    synchronized (lock) {
      if (incarnation.ending) {
        return;
      }
      incarnation.ending = true;
    }
    hooks.ending(incarnation);
  }

  /**
   * Keeps {@link Incarnation#alive} up to date from the cluster's member events, and stops at the
   * cluster's shutdown, before it reports every member removed.
   */
  private static Behavior<ClusterEvent.ClusterDomainEvent> memberWatch(Incarnation incarnation) {
    return Behaviors.setup(
        context -> {
          akka.cluster.typed.Cluster.get(context.getSystem())
              .subscriptions()
              .tell(
                  akka.cluster.typed.Subscribe.create(
                      context.getSelf(), ClusterEvent.ClusterDomainEvent.class));
          return Behaviors.receiveMessage(
              event -> {
                if (event == ClusterEvent.ClusterShuttingDown$.MODULE$) {
                  incarnation.lastView = true;
                } else if (!incarnation.lastView && event instanceof ClusterEvent.MemberEvent m) {
                  Address address = m.member().address();
                  if (!address.equals(incarnation.selfAddress)) {
                    if (m instanceof ClusterEvent.MemberUp || m instanceof ClusterEvent.MemberWeaklyUp) {
                      incarnation.alive.add(address);
                    } else if (!(m instanceof ClusterEvent.MemberJoined)) {
                      incarnation.alive.remove(address); // left, exited, downed, removed
                    }
                  }
                }
                return Behaviors.same();
              });
        });
  }

  private void terminated(Incarnation incarnation) {
    ending(incarnation);
    Optional<CoordinatedShutdown.Reason> reason =
        CoordinatedShutdown.get(Adapter.toClassic(incarnation.system)).getShutdownReason();
    synchronized (lock) {
      if (current != incarnation) {
        return;
      }
      current = null;
      if (closing) {
        return;
      }
    }
    Object why = reason.orElse(null);
    if (why == CoordinatedShutdown.incompatibleConfigurationDetectedReason()
        || why == WRITER_NAME_CLAIMED) {
      refused = true;
      String message =
          why == WRITER_NAME_CLAIMED
              ? "another live member claims the writer name [" + writerName + "]"
              : "the cluster refused this node's configuration (see the log above)";
      log.error("Cluster membership ended: {}; the node stops", message);
      hooks.refused(message);
      return;
    }
    if (why == CoordinatedShutdown.jvmExitReason()) {
      return; // the process is stopping; its shutdown hook closes the node
    }
    if (why == CoordinatedShutdown.clusterDowningReason()) {
      log.warn(
          "Member {} (incarnation {}) was downed by the split-brain resolver; rejoining as a new"
              + " incarnation. Meanwhile writes commit locally and reads answer 503"
              + " replica_unavailable.",
          incarnation.selfAddress,
          incarnation.number);
    } else {
      log.warn(
          "Cluster membership of {} (incarnation {}) ended ({}); rejoining as a new incarnation",
          incarnation.selfAddress,
          incarnation.number,
          why == null ? "its actor system terminated" : why);
    }
    int next;
    synchronized (lock) {
      attempt = incarnation.up ? 1 : attempt + 1;
      next = attempt;
      if (incarnation.up) {
        survivors = List.copyOf(incarnation.alive);
      }
    }
    scheduleRejoin(incarnation, next);
  }

  private void scheduleRejoin(Incarnation last, int attempt) {
    if (closing) {
      return;
    }
    Duration wait = rejoin.backoff(attempt);
    thread.schedule(() -> rejoin(last, attempt), wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void rejoin(Incarnation last, int attempt) {
    if (closing) {
      return;
    }
    List<String> seeds = rejoinSeeds(last);
    log.info("Starting cluster incarnation {} of this node, joining {}", incarnations + 1, seeds);
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("akka.cluster.seed-nodes", seeds);
    if (config.getInt("akka.remote.artery.canonical.port") == 0) {
      // A random port at start: keep the one the member had, as configured ports are kept.
      last.selfAddress.getPort().ifPresent(port -> overrides.put("akka.remote.artery.canonical.port", port));
    }
    try {
      create(ConfigFactory.parseMap(overrides).withFallback(config));
    } catch (RuntimeException e) {
      int next;
      synchronized (lock) {
        next = ++this.attempt;
      }
      log.warn(
          "Could not start a new cluster actor system (attempt {}): {}; retrying in {} ms",
          attempt,
          e.toString(),
          rejoin.backoff(next).toMillis());
      scheduleRejoin(last, next);
    }
  }

  /**
   * The configured seed nodes and the members the last incarnation saw alive, this node left out:
   * it joins the running cluster and never starts one of its own. With no member left alive, the
   * configured seed nodes as they are.
   */
  private List<String> rejoinSeeds(Incarnation last) {
    List<String> configured = config.getStringList("akka.cluster.seed-nodes");
    List<Address> survivors = this.survivors;
    if (survivors.isEmpty()) {
      return configured;
    }
    Set<String> seeds = new LinkedHashSet<>();
    for (String seed : configured) {
      if (!AddressFromURIString.parse(seed).equals(last.selfAddress)) {
        seeds.add(seed);
      }
    }
    for (Address survivor : survivors) {
      seeds.add(survivor.toString());
    }
    return new ArrayList<>(seeds);
  }

  /**
   * Stops the current incarnation (if any) for good: nothing is recreated after this. Its member
   * leaves the cluster (the others see it removed, not unreachable and then downed) in the cluster
   * system's coordinated shutdown, whose phases bound each step; after them the system gets a
   * short grace to terminate. Artery can hang in its transport shutdown, and the system then never
   * terminates (akka/akka-core#30326): the member has left by then, so the node goes on without it.
   */
  @Override
  public void close() {
    closing = true;
    Incarnation incarnation;
    synchronized (lock) {
      incarnation = current;
    }
    thread.shutdownNow();
    if (incarnation != null) {
      CoordinatedShutdown.get(Adapter.toClassic(incarnation.system))
          .runAll(CoordinatedShutdown.actorSystemTerminateReason())
          .toCompletableFuture()
          .join();
      awaitTermination(incarnation.system, TERMINATION_GRACE);
    }
  }

  private static void awaitTermination(ActorSystem<?> system, Duration wait) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("The cluster actor system did not terminate within {}; going on without it", wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Waiting for the cluster actor system to terminate failed: {}", e.toString());
    }
  }
}
