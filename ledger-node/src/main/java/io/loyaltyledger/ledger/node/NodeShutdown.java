package io.loyaltyledger.ledger.node;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node stops: its part in Akka's CoordinatedShutdown, which runs however the stop begins
 * (SIGTERM, {@link LedgerNode#close()}, the split brain resolver downing the node).
 *
 * <ol>
 *   <li>before-service-unbind: {@code /ready} turns 503, so load balancers send nothing new;
 *   <li>service-unbind, service-requests-done: the HTTP port closes and the requests in flight
 *       get up to that phase's timeout to finish (their commits included);
 *   <li>service-stop: the writer's background work stops, and the publisher publishes what is
 *       pending while the node is still a member that can reach a majority;
 *   <li>then Akka's own phases: the node leaves the cluster (the others see it removed, not
 *       downed) and the ActorSystem terminates, after which the node closes its database.
 * </ol>
 */
final class NodeShutdown {

  private static final Logger log = LoggerFactory.getLogger(NodeShutdown.class);

  private final ActorSystem<?> system;
  private final CoordinatedShutdown shutdown;
  private final String nodeName;
  private final Runnable stopWriter;
  private final AtomicBoolean writerStopping = new AtomicBoolean();
  private final CompletableFuture<Done> writerStopped = new CompletableFuture<>();

  /** @param stopWriter stops the writer's work and publishes what is pending; may block */
  NodeShutdown(ActorSystem<?> system, String nodeName, Readiness readiness, Runnable stopWriter) {
    this.system = system;
    this.shutdown = CoordinatedShutdown.get(system);
    this.nodeName = nodeName;
    this.stopWriter = stopWriter;
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "loyalty-not-ready",
        () -> {
          log.info("Node [{}] stopping ({}): no new requests", nodeName, reason());
          readiness.markStopping();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceStop(), "loyalty-stop-writer", this::stopWriterOnce);
  }

  /** The HTTP server: closed in service-unbind, drained in service-requests-done. */
  void add(ServerBinding binding) {
    scala.concurrent.duration.FiniteDuration drain =
        shutdown.timeout(CoordinatedShutdown.PhaseServiceRequestsDone());
    binding.addToCoordinatedShutdown(Duration.ofMillis(drain.toMillis()), system);
  }

  /** Once the ActorSystem has terminated: waits for the writer's stop (runs it if it never ran). */
  void awaitWriterStopped() {
    stopWriterOnce().toCompletableFuture().join();
  }

  private CompletionStage<Done> stopWriterOnce() {
    if (writerStopping.compareAndSet(false, true)) {
      // its own thread: the publisher's flush blocks for as long as flush-on-stop
      Thread thread =
          new Thread(
              () -> {
                try {
                  stopWriter.run();
                  log.info("Node [{}]: writer stopped, pending rows published", nodeName);
                } catch (RuntimeException e) {
                  log.warn("Node [{}]: the writer did not stop cleanly: {}", nodeName, e.toString());
                } finally {
                  writerStopped.complete(Done.getInstance());
                }
              },
              "stop-writer-" + nodeName);
      thread.start();
    }
    return writerStopped;
  }

  private String reason() {
    return shutdown.getShutdownReason().map(r -> r.getClass().getSimpleName()).orElse("unknown");
  }
}
