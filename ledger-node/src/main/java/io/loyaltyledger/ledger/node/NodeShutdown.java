package io.loyaltyledger.ledger.node;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  /** How long a node waits for its ActorSystem beyond the last phase's own timeout. */
  private static final Duration TERMINATION_GRACE = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final CoordinatedShutdown shutdown;
  private final String nodeName;
  private final Runnable stopWriter;
  private final CompletableFuture<Void> stopping = new CompletableFuture<>();
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
          stopping.complete(null);
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceStop(), "loyalty-stop-writer", this::stopWriterOnce);
  }

  /** Completes when the stop begins, whatever began it. */
  CompletionStage<Void> whenStopping() {
    return stopping;
  }

  /** The HTTP server: closed in service-unbind, drained in service-requests-done. */
  void add(ServerBinding binding) {
    scala.concurrent.duration.FiniteDuration drain =
        shutdown.timeout(CoordinatedShutdown.PhaseServiceRequestsDone());
    binding.addToCoordinatedShutdown(Duration.ofMillis(drain.toMillis()), system);
  }

  /**
   * Runs the stop, or joins the one under way, and returns once it is over: every phase has run
   * (each bounded by its timeout), the writer has stopped, and the ActorSystem has terminated —
   * or has not after a short grace. Artery can hang in its transport shutdown, the ActorSystem
   * then never terminates (akka/akka-core#30326); the node has left the cluster by then, so it
   * goes on to close its database rather than hang with it.
   */
  void run() {
    shutdown.runAll(CoordinatedShutdown.actorSystemTerminateReason()).toCompletableFuture().join();
    try {
      system.getWhenTerminated().toCompletableFuture()
          .get(TERMINATION_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Node [{}]: the ActorSystem has not terminated (Artery's shutdown hangs);"
          + " the node stops without it", nodeName);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warn("Node [{}]: the ActorSystem terminated with {}", nodeName, e.getCause().toString());
    }
    // the phase may have timed out, or never run (the ActorSystem ended before it was added)
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
      thread.setDaemon(false); // the JVM waits for the last commits to be published
      thread.start();
    }
    return writerStopped;
  }

  private String reason() {
    return shutdown.getShutdownReason().map(r -> r.getClass().getSimpleName()).orElse("unknown");
  }
}
