package io.loyaltyledger.ledger.crdt;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The stable identity of a writer: its configured name plus the incarnation id of its database,
 * e.g. {@code order-1@3f2a9c1e}. A wiped database gets a new incarnation and so becomes a new
 * writer; it never becomes a second author of an old writer's rows.
 */
public final class WriterKey implements Comparable<WriterKey> {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern INCARNATION = Pattern.compile("[0-9a-f]{8,32}");

  private final String name;
  private final String incarnation;
  private final String value;

  private WriterKey(String name, String incarnation) {
    this.name = name;
    this.incarnation = incarnation;
    this.value = name + "@" + incarnation;
  }

  public static WriterKey of(String name, String incarnation) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid writer name: " + name);
    }
    if (!INCARNATION.matcher(incarnation).matches()) {
      throw new IllegalArgumentException("invalid incarnation: " + incarnation);
    }
    return new WriterKey(name, incarnation);
  }

  /** Parses {@code name@incarnation}. */
  public static WriterKey parse(String value) {
    int at = value.lastIndexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("invalid writer key: " + value);
    }
    return of(value.substring(0, at), value.substring(at + 1));
  }

  public String name() {
    return name;
  }

  public String incarnation() {
    return incarnation;
  }

  public String value() {
    return value;
  }

  @Override
  public int compareTo(WriterKey other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriterKey other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
