package io.loyaltyledger.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link RealNodes} of a test class, as a JUnit extension: started in a directory of their own
 * before its first test, stopped and deleted after its last.
 *
 * <pre>{@code @RegisterExtension static final SharedRealNodes nodes = new SharedRealNodes();}</pre>
 */
public final class SharedRealNodes implements BeforeAllCallback, AfterAllCallback {

  private Path dir;
  private RealNodes nodes;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("real-nodes-");
    nodes = RealNodes.start(dir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (nodes != null) {
        nodes.close();
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  public String ledgerUrl() {
    return nodes.ledgerUrl();
  }

  public String orderUrl() {
    return nodes.orderUrl();
  }

  public int orderPort() {
    return nodes.orderPort();
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (root == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(SharedRealNodes::delete);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
