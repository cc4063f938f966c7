package io.loyaltyledger.ledger.replica;

import akka.cluster.ddata.typed.javadsl.Replicator;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** How many replicas a read consults: the API's {@code consistency} parameter. */
public record ReadLevel(Kind kind, Duration timeout) {

  public enum Kind {
    LOCAL,
    MAJORITY,
    ALL
  }

  public static ReadLevel local() {
    return new ReadLevel(Kind.LOCAL, Duration.ZERO);
  }

  public static ReadLevel majority(Duration timeout) {
    return new ReadLevel(Kind.MAJORITY, timeout);
  }

  /** Parses {@code local|majority|all}; empty when the word is none of them. */
  public static Optional<ReadLevel> parse(String word, Duration timeout) {
    for (Kind kind : Kind.values()) {
      if (kind.name().toLowerCase(Locale.ROOT).equals(word)) {
        return Optional.of(new ReadLevel(kind, kind == Kind.LOCAL ? Duration.ZERO : timeout));
      }
    }
    return Optional.empty();
  }

  public String name() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  Replicator.ReadConsistency consistency() {
    return switch (kind) {
      case LOCAL -> Replicator.readLocal();
      case MAJORITY -> new Replicator.ReadMajority(timeout);
      case ALL -> new Replicator.ReadAll(timeout);
    };
  }
}
