package io.loyaltyledger.client;

/** How many replicas a balance read consults: this node's, a majority, or all. */
public enum Consistency {
  LOCAL,
  MAJORITY,
  ALL;

  String query() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
