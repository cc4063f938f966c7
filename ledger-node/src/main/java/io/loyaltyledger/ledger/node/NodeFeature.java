package io.loyaltyledger.ledger.node;

import akka.http.javadsl.server.Route;
import io.loyaltyledger.ledger.writer.WriterDatabase;

/**
 * A service that runs inside a node on top of the ledger core — the order service is one. It
 * writes through the node's writer (same database, same transaction as its own records) and adds
 * its routes to the node's HTTP API.
 */
public interface NodeFeature extends AutoCloseable {

  /** Runs once the writer database is open, before the node joins: e.g. its own migrations. */
  default void prepare(WriterDatabase database) {}

  /** The feature's HTTP routes; errors they throw are answered like every other API error. */
  Route routes(NodeContext context);

  /** Called when the node stops, before its database closes. */
  @Override
  default void close() {}
}
