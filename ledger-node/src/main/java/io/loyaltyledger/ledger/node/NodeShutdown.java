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
 * How a node stops: the phases of Akka's CoordinatedShutdown on the node's front system (the
 * local actor system serving HTTP), run by {@link LedgerNode#close()} — on SIGTERM, or when the
 * node refuses to run.
 *
 * <ol>
 *   <li>before-service-unbind: {@code /ready} says no, so load balancers send nothing new;
 *   <li>service-unbind, service-requests-done: the HTTP port closes and the requests in flight
 *       get up to that phase's timeout to finish (their commits included);
 *   <li>service-stop: the writer's background work stops, and the publisher publishes what is
 *       pending while the node is still a member that can reach a majority;
 *   <li>then the front system terminates, and the node leaves the cluster (the others see it
 *       removed, not downed: {@link ClusterMembership#close()}) and closes its database.
 * </ol>
 */
final class NodeShutdown {

  private static final Logger log = LoggerFactory.getLogger(NodeShutdown.class);
  /** How long a node waits for its front system beyond the last phase's own timeout. */
  private static final Duration TERMINATION_GRACE = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final CoordinatedShutdown shutdown;
  private final String nodeName;
  private final Runnable stopWriter;
  private final AtomicBoolean writerStopping = new AtomicBoolean();
  private final CompletableFuture<Done> writerStopped = new CompletableFuture<>();

  /**
   * @param markStopping makes the node not ready
   * @param stopWriter stops the writer's work and publishes what is pending; may block
   */
  NodeShutdown(ActorSystem<?> system, String nodeName, Runnable markStopping, Runnable stopWriter) {
    this.system = system;
    this.shutdown = CoordinatedShutdown.get(system);
    this.nodeName = nodeName;
    this.stopWriter = stopWriter;
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "loyalty-not-ready",
        () -> {
          log.info("Node [{}] stopping: no new requests", nodeName);
          markStopping.run();
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

  /**
   * Runs the stop, or joins the one under way, and returns once it is over: every phase has run
   * (each bounded by its timeout), the writer has stopped, and the front system has terminated —
   * or has not after a short grace.
   */
  void run() {
    shutdown.runAll(CoordinatedShutdown.actorSystemTerminateReason()).toCompletableFuture().join();
    try {
      system.getWhenTerminated().toCompletableFuture()
          .get(TERMINATION_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Node [{}]: the front system has not terminated; the node stops without it",
          nodeName);
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
}
