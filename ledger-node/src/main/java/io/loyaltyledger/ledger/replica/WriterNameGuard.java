package io.loyaltyledger.ledger.replica;

import akka.actor.typed.ActorSystem;
import akka.cluster.Cluster;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;

/**
 * Two live members claiming the same writer name are a configuration error: each node carries the
 * role {@code writer-<name>}, and of two members with the same role the younger one gives way.
 * (Two processes on one database are already excluded by the database lock.)
 */
public final class WriterNameGuard {

  private static final String ROLE_PREFIX = "writer-";

  private WriterNameGuard() {}

  public static String roleOf(String writerName) {
    return ROLE_PREFIX + writerName;
  }

  /** Watches membership and calls {@code onConflict} with the older member if this node must give way. */
  public static void watch(ActorSystem<?> system, String writerName, Consumer<Member> onConflict) {
    Cluster cluster = Cluster.get(system);
    String role = roleOf(writerName);
    cluster.registerOnMemberUp(
        () -> {
          olderClaimant(cluster, role).ifPresent(onConflict);
          akka.actor.ActorRef listener =
              akka.actor.Adapter.toClassic(system)
                  .actorOf(akka.actor.Props.create(MemberUpListener.class, () -> new MemberUpListener(cluster, role, onConflict)));
          cluster.subscribe(listener, ClusterEvent.initialStateAsEvents(), ClusterEvent.MemberUp.class);
        });
  }

  static Optional<Member> olderClaimant(Cluster cluster, String role) {
    Member self = cluster.selfMember();
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> !m.uniqueAddress().equals(self.uniqueAddress()))
        .filter(m -> m.hasRole(role))
        .filter(m -> m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp())
        .filter(m -> !cluster.state().getUnreachable().contains(m))
        .filter(m -> self.status() != MemberStatus.up() || m.isOlderThan(self))
        .findFirst();
  }

  /** Re-checks whenever a member comes up, which settles two nodes that joined at once. */
  static final class MemberUpListener extends akka.actor.AbstractActor {
    private final Cluster cluster;
    private final String role;
    private final Consumer<Member> onConflict;

    MemberUpListener(Cluster cluster, String role, Consumer<Member> onConflict) {
      this.cluster = cluster;
      this.role = role;
      this.onConflict = onConflict;
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(
              ClusterEvent.MemberUp.class,
              up -> {
                if (up.member().hasRole(role)) {
                  olderClaimant(cluster, role).ifPresent(onConflict);
                }
              })
          .build();
    }
  }
}
