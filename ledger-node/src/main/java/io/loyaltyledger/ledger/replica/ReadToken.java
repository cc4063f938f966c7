package io.loyaltyledger.ledger.replica;

import io.loyaltyledger.ledger.crdt.WriterKey;
import java.util.Optional;

/**
 * A read-your-writes token {@code <writerKey>:<version>}: a read with it waits until the writer's
 * row for the account has reached that version — a monotone condition, so it never flips back.
 */
public record ReadToken(WriterKey writer, long version) {

  /** Parses a token; empty when it is malformed. */
  public static Optional<ReadToken> parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      return Optional.empty();
    }
    try {
      long version = Long.parseLong(text.substring(colon + 1));
      if (version < 1) {
        return Optional.empty();
      }
      return Optional.of(new ReadToken(WriterKey.parse(text.substring(0, colon)), version));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return writer.value() + ":" + version;
  }
}
