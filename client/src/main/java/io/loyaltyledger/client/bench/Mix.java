package io.loyaltyledger.client.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How often each operation is picked: non-negative integer weights, as percentages or any other
 * scale ({@code orders=6,reads=2} is the same as {@code orders=75,reads=25}). Operations not
 * named have weight 0.
 */
public final class Mix {

  public static final String DEFAULT = "orders=60,cancellations=10,redemptions=10,reads=20";

  private final EnumMap<Operation, Long> weights;
  private final long total;

  private Mix(EnumMap<Operation, Long> weights) {
    this.weights = weights;
    long sum = 0;
    for (long w : weights.values()) {
      sum += w;
    }
    this.total = sum;
  }

  /** Parses {@code name=weight,...}; throws {@link IllegalArgumentException} saying what is wrong. */
  public static Mix parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--mix is empty; e.g. " + DEFAULT);
    }
    EnumMap<Operation, Long> weights = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      weights.put(op, 0L);
    }
    List<Operation> seen = new ArrayList<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "--mix: '" + part.strip() + "' is not name=weight; e.g. " + DEFAULT);
      }
      String name = part.substring(0, eq);
      Operation op =
          Operation.byName(name)
              .orElseThrow(
                  () -> new IllegalArgumentException(
                      "--mix: unknown operation '" + name.strip()
                          + "' (orders, cancellations, redemptions, reads)"));
      if (seen.contains(op)) {
        throw new IllegalArgumentException("--mix: " + op.label() + " given twice");
      }
      seen.add(op);
      long weight;
      try {
        weight = Long.parseLong(part.substring(eq + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--mix: the weight of " + op.label() + " must be a whole number, not '"
                + part.substring(eq + 1).strip() + "'");
      }
      if (weight < 0 || weight > 1_000_000) {
        throw new IllegalArgumentException(
            "--mix: the weight of " + op.label() + " must be within 0..1000000");
      }
      weights.put(op, weight);
    }
    Mix mix = new Mix(weights);
    if (mix.total == 0) {
      throw new IllegalArgumentException("--mix: every weight is 0");
    }
    return mix;
  }

  /** The operation for a uniform draw {@code u} in [0, 1). */
  public Operation pick(double u) {
    if (!(u >= 0 && u < 1)) {
      throw new IllegalArgumentException("u must be in [0, 1): " + u);
    }
    long point = (long) Math.floor(u * total);
    long upTo = 0;
    Operation last = null;
    for (Map.Entry<Operation, Long> e : weights.entrySet()) {
      if (e.getValue() == 0) {
        continue;
      }
      upTo += e.getValue();
      last = e.getKey();
      if (point < upTo) {
        return e.getKey();
      }
    }
    return last; // only reached through rounding at u close to 1
  }

  public long weight(Operation op) {
    return weights.get(op);
  }

  /** The share of {@code op}, in percent. */
  public double percent(Operation op) {
    return 100.0 * weights.get(op) / total;
  }

  /** True when some operation that writes has a weight. */
  public boolean writes() {
    return weights.entrySet().stream().anyMatch(e -> e.getKey().writes() && e.getValue() > 0);
  }

  public boolean reads() {
    return weights.get(Operation.READS) > 0;
  }

  /** The operations with a weight, in the enum's order. */
  public List<Operation> operations() {
    return weights.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
  }

  /** As percentages, e.g. {@code orders=60%,cancellations=10%,...} (weights with a share). */
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (Operation op : operations()) {
      parts.add(op.label() + "=" + Report.number(percent(op)) + "%");
    }
    return String.join(",", parts);
  }
}
