package io.loyaltyledger.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import io.loyaltyledger.ledger.node.ApiClient.Answer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger node process stopped with SIGTERM while it holds commits its publisher has not sent
 * and a write in flight: the write is answered, every commit reaches the other nodes, the node
 * leaves the cluster (removed after exiting, never downed) and the process exits with status 0.
 */
class GracefulShutdownTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void sigtermFinishesTheRequestInFlightPublishesEveryCommitAndLeavesTheCluster() throws Exception {
    try (TestCluster others = new TestCluster(dir.resolve("others"), 2, NodeProcess.BUCKETS)) {
      others.startAll();
      MemberEvents seen = new MemberEvents(others.node(0).system());
      int artery = TestNodes.freePort();
      String address = NodeProcess.address(artery);
      Map<String, Answer> written = new LinkedHashMap<>();
      try (NodeProcess node =
          new NodeProcess(dir, "ledger", "ledger-3", LedgerNodeMain.class.getName(), artery,
                  others.configs().seedNodes())
              // one publish round at the start, then none for an hour: what it commits after
              // that stays pending until the stop publishes it
              .with("loyalty.publisher.tick", "1h")
              .start()) {
        await().atMost(PATIENCE).until(() -> upMembers(others.node(0).system()) == 3);
        ApiClient api = new ApiClient(node.httpPort());
        for (int i = 1; i <= 10; i++) {
          Answer answer = api.adjust("sigterm-" + i, "sigterm-" + i, i, "before the stop");
          assertThat(answer.status()).as(answer.body()).isEqualTo(201);
          written.put("sigterm-" + i, answer);
        }
        assertThat(pendingRows(api)).as("commits the publisher has not sent").isEqualTo(10);

        try (HeldRequest inFlight =
            HeldRequest.post(node.httpPort(), "/v1/accounts/sigterm-held/adjustments",
                "sigterm-held", TestTokens.WRITE, "{\"points\":100,\"reason\":\"in flight\"}")) {
          node.terminate();
          // The node closes its port while it still holds the request ...
          await().atMost(PATIENCE).until(() -> refusesConnections(node.httpPort()));
          // ... and finishes it once its body arrives.
          HeldRequest.Answer answer = inFlight.finish();
          assertThat(answer.status()).as(answer.body()).isEqualTo(201);
          assertThat(answer.headers()).containsEntry("connection", "close");
          written.put("sigterm-held", new Answer(answer.status(), answer.body(), false, null));
        }
        assertThat(node.awaitExit(PATIENCE)).as("exit status").isZero();
      }

      await().atMost(PATIENCE).until(() -> seen.removed(address));
      assertThat(seen.of(address))
          .anyMatch(e -> e instanceof ClusterEvent.MemberRemoved removed
              && removed.previousStatus() == MemberStatus.exiting())
          .noneMatch(e -> e instanceof ClusterEvent.MemberDowned);

      // Every commit of the stopped node reached both others before it left.
      for (Map.Entry<String, Answer> write : written.entrySet()) {
        long points = write.getKey().equals("sigterm-held")
            ? 100 : Long.parseLong(write.getKey().substring("sigterm-".length()));
        String token = write.getValue().json().get("token").asText();
        for (int i = 0; i < 2; i++) {
          Answer read = others.api(i).get("/v1/accounts/" + write.getKey() + "?after=" + token + "&timeout=10000");
          assertThat(read.status()).as("%s on %s: %s", write.getKey(), i, read.body()).isEqualTo(200);
          assertThat(read.json().get("balance").asLong()).isEqualTo(points);
        }
      }
    }
  }

  private static int upMembers(ActorSystem<?> system) {
    return (int) StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .count();
  }

  private static double pendingRows(ApiClient api) {
    return api.get("/metrics").body().lines()
        .filter(line -> line.startsWith("loyalty_publisher_pending_rows "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  private static boolean refusesConnections(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return false;
    } catch (ConnectException e) {
      return true;
    }
  }

  /** The membership changes a node sees, kept for the test to look at. */
  static final class MemberEvents {

    private final List<ClusterEvent.MemberEvent> events = new CopyOnWriteArrayList<>();

    MemberEvents(ActorSystem<?> system) {
      ActorRef<ClusterEvent.MemberEvent> recorder =
          system.systemActorOf(
              Behaviors.receiveMessage(
                  event -> {
                    events.add(event);
                    return Behaviors.same();
                  }),
              "member-events",
              Props.empty());
      Cluster.get(system).subscriptions().tell(Subscribe.create(recorder, ClusterEvent.MemberEvent.class));
    }

    List<ClusterEvent.MemberEvent> of(String address) {
      return events.stream().filter(e -> e.member().address().toString().equals(address)).toList();
    }

    boolean removed(String address) {
      return of(address).stream().anyMatch(e -> e instanceof ClusterEvent.MemberRemoved);
    }
  }
}
