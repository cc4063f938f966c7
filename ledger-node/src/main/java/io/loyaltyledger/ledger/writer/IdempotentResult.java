package io.loyaltyledger.ledger.writer;

/** The outcome of running a command under an idempotency key. */
public sealed interface IdempotentResult
    permits IdempotentResult.Executed, IdempotentResult.Replayed, IdempotentResult.KeyReused {

  /** The command ran now; its effect and this response were committed together. */
  record Executed(StoredResponse response) implements IdempotentResult {}

  /** The key was used before with the same request: nothing ran, here is the first response. */
  record Replayed(StoredResponse response) implements IdempotentResult {}

  /** The key was used before with a different request: nothing ran (commonly answered 422). */
  record KeyReused() implements IdempotentResult {}
}
