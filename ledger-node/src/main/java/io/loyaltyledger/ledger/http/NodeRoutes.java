package io.loyaltyledger.ledger.http;

import akka.cluster.Cluster;
import akka.cluster.ClusterEvent.CurrentClusterState;
import akka.cluster.Member;
import akka.http.javadsl.server.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** {@code GET /v1/node} (who answers, and its idempotency scope) and {@code GET /v1/cluster}. */
public final class NodeRoutes extends ApiDirectives {

  /** What a node says about itself. The idempotency scope is its writer database's incarnation. */
  public record NodeView(
      String name,
      String role,
      String writerKey,
      String idempotencyScope,
      int buckets,
      boolean ready,
      String address) {}

  public record MemberView(
      String address, String status, Set<String> roles, boolean reachable, boolean self) {}

  public record ClusterView(
      String self, String leader, boolean selfUp, List<MemberView> members, List<String> unreachable) {}

  private final NodeView identity;
  private final Cluster cluster;
  private final BooleanSupplier ready;

  public NodeRoutes(NodeView identity, Cluster cluster, BooleanSupplier ready) {
    this.identity = identity;
    this.cluster = cluster;
    this.ready = ready;
  }

  public Route routes() {
    return pathPrefix(
        "v1",
        () ->
            concat(
                path("node", () -> get(() -> complete(Json.ok(node())))),
                path("cluster", () -> get(() -> complete(Json.ok(cluster()))))));
  }

  private NodeView node() {
    return new NodeView(
        identity.name(),
        identity.role(),
        identity.writerKey(),
        identity.idempotencyScope(),
        identity.buckets(),
        ready.getAsBoolean(),
        identity.address());
  }

  private ClusterView cluster() {
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
