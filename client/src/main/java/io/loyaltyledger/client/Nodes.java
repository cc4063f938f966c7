package io.loyaltyledger.client;

import java.util.ArrayList;
import java.util.List;

/** Parses node lists, and knows the local cluster that {@code bin/cluster up} starts. */
public final class Nodes {

  /** Ledger nodes 8081–8083 and order nodes 8091–8092 on loopback. */
  public static final List<NodeEndpoint> LOCAL_CLUSTER =
      parse("http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083,"
          + "http://127.0.0.1:8091,http://127.0.0.1:8092");

  private Nodes() {}

  /** A comma-separated list of URLs ({@code host:port} alone means {@code http://host:port}). */
  public static List<NodeEndpoint> parse(String commaSeparated) {
    List<NodeEndpoint> nodes = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        nodes.add(NodeEndpoint.of(part));
      }
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no node URL in '" + commaSeparated + "'");
    }
    return List.copyOf(nodes);
  }
}
