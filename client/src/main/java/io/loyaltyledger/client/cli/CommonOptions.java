package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.LoyaltyClient;
import io.loyaltyledger.client.Nodes;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every command takes: where the nodes are, the token, the output format, and patience. */
final class CommonOptions {

  @Option(
      names = "--nodes",
      paramLabel = "URL,URL",
      defaultValue = "${env:LOYALTY_NODES}",
      description = "node URLs (default: $LOYALTY_NODES, else the local cluster's five ports)")
  String nodes;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "file holding the bearer token (default: $LOYALTY_TOKEN, else var/token of the"
          + " project, which bin/cluster up writes)")
  Path tokenFile;

  @Option(names = "--json", description = "print JSON instead of tables")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "timeout of one request to one node (default: ${DEFAULT-VALUE})")
  double timeoutSeconds;

  @Option(
      names = "--deadline",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "how long a write whose outcome is unknown is retried (default: ${DEFAULT-VALUE})")
  double deadlineSeconds;

  /** The --nodes option as given, to repeat it in printed commands; null when not given. */
  String explicitNodes() {
    return nodes == null || nodes.isBlank() ? null : nodes;
  }

  /** The --token-file option as given, to repeat it in printed commands; null when not given. */
  Path explicitTokenFile() {
    return tokenFile;
  }

  LoyaltyClient client() {
    if (timeoutSeconds <= 0 || deadlineSeconds <= 0) {
      throw new IllegalArgumentException("--timeout and --deadline must be above 0");
    }
    LoyaltyClient.Builder client =
        LoyaltyClient.builder()
            .nodes(explicitNodes() == null ? Nodes.LOCAL_CLUSTER : Nodes.parse(nodes))
            .connectTimeout(Duration.ofMillis(Math.min(2000, millis(timeoutSeconds))))
            .requestTimeout(Duration.ofMillis(millis(timeoutSeconds)))
            .writeDeadline(Duration.ofMillis(millis(deadlineSeconds)));
    TokenLookup.find(tokenFile, System.getenv(), TokenLookup.defaultFile()).ifPresent(client::token);
    return client.build();
  }

  private static long millis(double seconds) {
    return Math.max(1, Math.round(seconds * 1000));
  }
}
