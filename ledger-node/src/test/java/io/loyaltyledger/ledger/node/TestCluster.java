package io.loyaltyledger.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Several ledger nodes in this JVM, each with its own ports and storage, started and stopped at will. */
public final class TestCluster implements AutoCloseable {

  private final TestNodes configs;
  private final LedgerNode[] nodes;

  public TestCluster(Path root, int size, int buckets) {
    this.configs = new TestNodes(root, size, buckets);
    this.nodes = new LedgerNode[size];
  }

  public TestNodes configs() {
    return configs;
  }

  /** Starts every node that is not running and waits until all take writes. */
  public TestCluster startAll() {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] == null) {
        nodes[i] = LedgerNode.start(configs.config(i));
      }
      started.add(nodes[i].started());
    }
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).orTimeout(90, TimeUnit.SECONDS).join();
    return this;
  }

  public LedgerNode start(int index) {
    nodes[index] = LedgerNode.start(configs.config(index));
    nodes[index].started().orTimeout(90, TimeUnit.SECONDS).join();
    return nodes[index];
  }

  public void stop(int index) {
    if (nodes[index] != null) {
      nodes[index].close();
      nodes[index] = null;
    }
  }

  public LedgerNode node(int index) {
    return nodes[index];
  }

  public ApiClient api(int index) {
    return new ApiClient(nodes[index].httpPort());
  }

  /** Waits until every running node reports exactly the expected balances, and the same rows. */
  public void awaitConverged(Map<String, Long> expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              for (Map.Entry<String, Long> account : expected.entrySet()) {
                JsonNode first = null;
                for (int i = 0; i < nodes.length; i++) {
                  if (nodes[i] == null) {
                    continue;
                  }
                  JsonNode view = api(i).get("/v1/accounts/" + account.getKey()).json();
                  assertThat(view.get("balance").asLong())
                      .as("balance of %s on %s", account.getKey(), configs.name(i))
                      .isEqualTo(account.getValue());
                  if (first == null) {
                    first = view.get("writers");
                  } else {
                    assertThat(view.get("writers")).isEqualTo(first);
                  }
                }
              }
            });
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes.length; i++) {
      try {
        stop(i);
      } catch (RuntimeException e) {
        // keep closing the others
      }
    }
  }

  public static void deleteRecursively(Path path) {
    if (!path.toFile().exists()) {
      return;
    }
    try (var files = java.nio.file.Files.walk(path)) {
      files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
