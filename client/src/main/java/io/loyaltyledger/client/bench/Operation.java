package io.loyaltyledger.client.bench;

import java.util.Locale;
import java.util.Optional;

/** What one step of a benchmark does to the cluster. */
public enum Operation {
  /** Places an order on an order node: it earns points. */
  ORDERS("orders", "order"),
  /** Cancels an order this run placed earlier, on its order node: its points are clawed back. */
  CANCELLATIONS("cancellations", "cancellation"),
  /** Places a small order that redeems points, on an account that earned enough. */
  REDEMPTIONS("redemptions", "redemption"),
  /** Reads a balance from a ledger node's replica. */
  READS("reads", "read");

  private final String label;
  private final String singular;

  Operation(String label, String singular) {
    this.label = label;
    this.singular = singular;
  }

  /** The name used in {@code --mix} and in reports, e.g. {@code orders}. */
  public String label() {
    return label;
  }

  /** True for the operations that write (and so answer a token). */
  public boolean writes() {
    return this != READS;
  }

  /** By its label, singular or plural, any case. */
  public static Optional<Operation> byName(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (Operation op : values()) {
      if (op.label.equals(n) || op.singular.equals(n)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
