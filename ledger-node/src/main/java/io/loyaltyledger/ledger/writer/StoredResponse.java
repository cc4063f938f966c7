package io.loyaltyledger.ledger.writer;

import java.util.Objects;

/** The response of a command's first execution, replayed for every retry with its key. */
public record StoredResponse(int status, String body) {
  public StoredResponse {
    Objects.requireNonNull(body, "body");
  }
}
