package io.loyaltyledger.ledger.jepsen;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.Cluster;
import akka.remote.RARP;
import akka.remote.transport.ThrottlerTransportAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Network partitions between in-JVM nodes: Artery's test mode ({@code
 * akka.remote.artery.advanced.test-mode = on} on every node) drops all traffic of a blackholed
 * link, in both directions, as a cut cable would. Nodes are addressed by index; the current actor
 * system of each comes from a function, so a restarted node — or one that rejoined the cluster
 * with a new actor system after it was downed — is cut off like the old one. A link is cut on
 * both of its ends: a node between two cluster incarnations (no system) stays cut off by its
 * peers, whose blackhole holds for every incarnation of its address.
 */
public final class Nemesis {

  private final int size;
  private final IntFunction<ActorSystem<?>> systems;
  private final List<String> log = new ArrayList<>();
  // The cluster address of each node (host and port: the same for every incarnation).
  private final Address[] addresses;

  public Nemesis(int size, IntFunction<ActorSystem<?>> systems) {
    this.size = size;
    this.systems = systems;
    this.addresses = new Address[size];
  }

  /** Cuts every link between nodes of different groups; nodes in no group keep all their links. */
  public void partition(String name, List<Set<Integer>> groups) {
    for (int a = 0; a < size; a++) {
      for (int b = a + 1; b < size; b++) {
        int ga = groupOf(groups, a);
        int gb = groupOf(groups, b);
        if (ga >= 0 && gb >= 0 && ga != gb) {
          link(a, b, ThrottlerTransportAdapter.blackholeThrottleMode());
        }
      }
    }
    log.add(name + " " + groups);
  }

  /** One node alone. */
  public void isolate(int node) {
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (i != node) {
        others.add(i);
      }
    }
    partition("isolate", List.of(Set.of(node), Set.copyOf(others)));
  }

  /**
   * A bridge: two halves that cannot see each other, and one node that sees both (Jepsen's
   * "bridge" nemesis). For 5 nodes: {0,1} and {3,4} cut, node 2 in the middle.
   */
  public void bridge() {
    int middle = size / 2;
    List<Integer> left = new ArrayList<>();
    List<Integer> right = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (i < middle) {
        left.add(i);
      } else if (i > middle) {
        right.add(i);
      }
    }
    partition("bridge via " + middle, List.of(Set.copyOf(left), Set.copyOf(right)));
  }

  /**
   * One cycle of the partition scenarios: isolate {@code node} (then run {@code whileIsolated}),
   * heal, split into {@code halves}, heal, bridge, heal — each fault held for {@code fault}, each
   * heal for {@code calm}.
   */
  public void cycle(int node, List<Set<Integer>> halves, Duration fault, Duration calm,
      Runnable whileIsolated) {
    isolate(node);
    whileIsolated.run();
    hold(fault);
    heal();
    hold(calm);
    partition("majority/minority", halves);
    hold(fault);
    heal();
    hold(calm);
    bridge();
    hold(fault);
    heal();
    hold(calm);
  }

  /** Restores every link. */
  public void heal() {
    for (int a = 0; a < size; a++) {
      for (int b = a + 1; b < size; b++) {
        link(a, b, ThrottlerTransportAdapter.unthrottledThrottleMode());
      }
    }
    log.add("heal");
  }

  /** The faults injected so far, in order. */
  public List<String> log() {
    return List.copyOf(log);
  }

  public long faults() {
    return log.stream().filter(entry -> !entry.equals("heal")).count();
  }

  private void link(int a, int b, ThrottlerTransportAdapter.ThrottleMode mode) {
    ActorSystem<?> systemA = systems.apply(a);
    ActorSystem<?> systemB = systems.apply(b);
    Address addressA = address(a, systemA);
    Address addressB = address(b, systemB);
    // A node without a system (down, or between cluster incarnations) has no end of the link to
    // change; its peer's end still cuts or restores it.
    if (systemA != null && addressB != null) {
      throttle(systemA, addressB, mode);
    }
    if (systemB != null && addressA != null) {
      throttle(systemB, addressA, mode);
    }
  }

  private Address address(int node, ActorSystem<?> system) {
    synchronized (addresses) {
      if (addresses[node] == null && system != null) {
        addresses[node] = Cluster.get(Adapter.toClassic(system)).selfAddress();
      }
      return addresses[node];
    }
  }

  private static void throttle(
      ActorSystem<?> system, Address peer, ThrottlerTransportAdapter.ThrottleMode mode) {
    if (isStopping(system)) {
      return;
    }
    try {
      scala.concurrent.Future<Object> done =
          ((RARP) RARP.get(Adapter.toClassic(system)))
              .provider()
              .transport()
              .managementCommand(
                  new ThrottlerTransportAdapter.SetThrottle(
                      peer, ThrottlerTransportAdapter.bothDirection(), mode));
      scala.concurrent.Await.result(
          done, scala.concurrent.duration.Duration.create(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      if (isStopping(system)) {
        return; // downed meanwhile: its successor has no blackholes of its own
      }
      throw new IllegalStateException("could not change the link to " + peer, e);
    }
  }

  /** Terminated, or its coordinated shutdown (downing) has begun. */
  private static boolean isStopping(ActorSystem<?> system) {
    return system.whenTerminated().isCompleted()
        || akka.actor.CoordinatedShutdown.get(Adapter.toClassic(system)).getShutdownReason().isPresent();
  }

  private static int groupOf(List<Set<Integer>> groups, int node) {
    for (int g = 0; g < groups.size(); g++) {
      if (groups.get(g).contains(node)) {
        return g;
      }
    }
    return -1;
  }

  /** Sleeps, for nemesis schedules. */
  public static void hold(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
