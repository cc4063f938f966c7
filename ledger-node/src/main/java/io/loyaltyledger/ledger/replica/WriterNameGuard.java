package io.loyaltyledger.ledger.replica;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
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

  /**
   * Once this node is Up: calls {@code onConflict} with the older member if another live member
   * claims the same writer name, otherwise {@code onClear}; and keeps watching members that come
   * up later, calling {@code onConflict} if this node must give way to one of them.
   */
  public static void watch(
      ActorSystem<?> system, String writerName, Runnable onClear, Consumer<Member> onConflict) {
    Cluster cluster = Cluster.get(system);
    String role = roleOf(writerName);
    cluster.registerOnMemberUp(
        () -> {
          Optional<Member> older = olderClaimant(cluster, role);
          if (older.isPresent()) {
            onConflict.accept(older.get());
            return;
          }
          system.systemActorOf(
              memberUpListener(cluster, role, onConflict), "writer-name-guard", Props.empty());
          onClear.run();
        });
  }

  static Optional<Member> olderClaimant(Cluster cluster, String role) {
    Member self = cluster.selfMember();
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> !m.uniqueAddress().equals(self.uniqueAddress()))
        .filter(m -> m.hasRole(role))
        .filter(m -> m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp())
        .filter(m -> !cluster.state().getUnreachable().contains(m))
        .filter(m -> m.isOlderThan(self))
        .findFirst();
  }

  /** Re-checks whenever a member comes up, which settles two nodes that joined at once. */
  private static Behavior<ClusterEvent.MemberUp> memberUpListener(
      Cluster cluster, String role, Consumer<Member> onConflict) {
    return Behaviors.setup(
        context -> {
          akka.cluster.typed.Cluster.get(context.getSystem())
              .subscriptions()
              .tell(akka.cluster.typed.Subscribe.create(context.getSelf(), ClusterEvent.MemberUp.class));
          return Behaviors.receiveMessage(
              up -> {
                if (up.member().hasRole(role)) {
                  olderClaimant(cluster, role).ifPresent(onConflict);
                }
                return Behaviors.same();
              });
        });
  }
}
