package io.loyaltyledger.ledger.http;

import akka.cluster.Cluster;
import akka.cluster.ClusterEvent.CurrentClusterState;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.http.javadsl.server.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/** {@code GET /v1/node} (who answers, and its idempotency scope) and {@code GET /v1/cluster}. */
public final class NodeRoutes extends ApiDirectives {

  /** Who a node is. The idempotency scope is its writer database's incarnation. */
  public record NodeView(
      String name,
      String role,
      String writerKey,
      String idempotencyScope,
      int buckets,
      String address) {}

  /**
   * The node's cluster membership as the routes see it: a node downed by the split brain resolver
   * keeps serving HTTP while it rejoins the cluster as a new incarnation of its member.
   */
  public interface Membership {
    /** The current member's cluster; empty while the node is not a member (rejoining). */
    Optional<Cluster> cluster();

    /** {@code joining}, {@code up}, {@code rejoining} or {@code stopping}. */
    String state();

    /** How many cluster actor systems this process has run, the current one included. */
    int incarnation();
  }

  /**
   * What {@code GET /v1/node} answers: who it is, and how it is doing. {@code majorityReachable}:
   * this node sees more than half of the ledger nodes (the split brain resolver's role) Up and
   * reachable; without it the node still takes writes into its database and publishes them once
   * the cluster is back. {@code publishBacklogSeconds}: about the age of its oldest row not yet
   * acknowledged by a majority (0 when caught up). {@code cluster}: the state of its membership
   * ({@link Membership#state()}); {@code clusterIncarnation}: which of this process's cluster
   * incarnations is current (above 1 once it has been downed and rejoined).
   */
  public record NodeStatus(
      String name,
      String role,
      String writerKey,
      String idempotencyScope,
      int buckets,
      boolean ready,
      String address,
      boolean majorityReachable,
      double publishBacklogSeconds,
      String cluster,
      int clusterIncarnation) {}

  public record MemberView(
      String address, String status, Set<String> roles, boolean reachable, boolean self) {}

  public record ClusterView(
      String self, String leader, boolean selfUp, List<MemberView> members, List<String> unreachable) {}

  /** The role the split brain resolver counts (akka.cluster.split-brain-resolver.keep-majority.role). */
  private static final String LEDGER_ROLE = "ledger";

  private final NodeView identity;
  private final Membership membership;
  private final BooleanSupplier ready;
  private final DoubleSupplier publishBacklogSeconds;

  public NodeRoutes(NodeView identity, Membership membership, BooleanSupplier ready,
      DoubleSupplier publishBacklogSeconds) {
    this.identity = identity;
    this.membership = membership;
    this.ready = ready;
    this.publishBacklogSeconds = publishBacklogSeconds;
  }

  public Route routes() {
    return pathPrefix(
        "v1",
        () ->
            concat(
                path("node", () -> get(() -> complete(Json.ok(node())))),
                path("cluster", () -> get(this::cluster))));
  }

  private NodeStatus node() {
    return new NodeStatus(
        identity.name(),
        identity.role(),
        identity.writerKey(),
        identity.idempotencyScope(),
        identity.buckets(),
        ready.getAsBoolean(),
        identity.address(),
        membership.cluster().map(NodeRoutes::majorityReachable).orElse(false),
        publishBacklogSeconds.getAsDouble(),
        membership.state(),
        membership.incarnation());
  }

  /** More than half of the ledger members Up (or WeaklyUp) and reachable from here. */
  private static boolean majorityReachable(Cluster cluster) {
    CurrentClusterState state = cluster.state();
    int ledgers = 0;
    int reachable = 0;
    for (Member m : state.getMembers()) {
      if (m.hasRole(LEDGER_ROLE)
          && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp())) {
        ledgers++;
        if (!state.getUnreachable().contains(m)) {
          reachable++;
        }
      }
    }
    return ledgers > 0 && reachable * 2 > ledgers;
  }

  private Route cluster() {
    Optional<Cluster> current = membership.cluster();
    if (current.isEmpty()) {
      return complete(
          ApiError.unavailable(
                  "replica_unavailable",
                  "this node is not a cluster member right now (" + membership.state()
                      + "); ask another node")
              .toResponse());
    }
    return complete(Json.ok(clusterView(current.get())));
  }

  private static ClusterView clusterView(Cluster cluster) {
    CurrentClusterState state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    List<MemberView> members = new ArrayList<>();
    for (Member m : state.getMembers()) {
      members.add(
          new MemberView(
              m.address().toString(),
              m.status().toString(),
              new TreeSet<>(m.getRoles()),
              !unreachable.contains(m),
              m.uniqueAddress().equals(cluster.selfMember().uniqueAddress())));
    }
    return new ClusterView(
        cluster.selfAddress().toString(),
        state.getLeader() == null ? null : state.getLeader().toString(),
        cluster.selfMember().status().toString().equals("Up"),
        members,
        unreachable.stream().map(m -> m.address().toString()).sorted().collect(Collectors.toList()));
  }

}
