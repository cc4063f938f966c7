package io.loyaltyledger.ledger.metrics;

import java.util.Set;

/**
 * The route template of a request path, for metric labels: identifiers become {@code {id}} so that
 * the number of label values stays bounded whatever clients send.
 */
public final class RouteLabel {

  /** Collections whose next path segment is an identifier. */
  private static final Set<String> COLLECTIONS = Set.of("accounts", "orders", "overdrafts");
  private static final Set<String> KNOWN_ROOTS =
      Set.of("v1", "ready", "alive", "metrics", "cluster", "bootstrap");
  /** Fixed segments of our routes; any other becomes {@code {other}}. */
  private static final Set<String> KNOWN_SEGMENTS =
      Set.of("v1", "accounts", "adjustments", "orders", "cancel", "overdrafts", "node", "cluster",
          "ready", "alive", "metrics", "members", "bootstrap", "shards");
  private static final int MAX_SEGMENTS = 6;

  private RouteLabel() {}

  public static String of(String path) {
    String[] segments = path.split("/");
    StringBuilder label = new StringBuilder();
    boolean identifierNext = false;
    int count = 0;
    for (String segment : segments) {
      if (segment.isEmpty()) {
        continue;
      }
      if (count == 0 && !KNOWN_ROOTS.contains(segment)) {
        return "other";
      }
      if (++count > MAX_SEGMENTS) {
        return "other";
      }
      label.append('/').append(identifierNext ? "{id}" : sanitize(segment));
      identifierNext = !identifierNext && COLLECTIONS.contains(segment);
    }
    return label.length() == 0 ? "/" : label.toString();
  }

  private static String sanitize(String segment) {
    return KNOWN_SEGMENTS.contains(segment) ? segment : "{other}";
  }
}
