package io.loyaltyledger.ledger.escrow;

import akka.actor.typed.ActorRef;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;

/** Messages between writers about rights transfers; they travel with {@link TransferSerializer}. */
public sealed interface TransferMessage {

  /**
   * Writer {@code to} asks for {@code amount} points of rights for an account. {@code transferId}
   * makes the request idempotent: a retry gets the first answer and moves nothing again.
   */
  record Request(String transferId, String accountId, WriterKey to, long amount,
      ActorRef<Reply> replyTo) implements TransferMessage {}

  /**
   * The donor's answer once committed: what it gave under this id (0: nothing), and its row of the
   * account, which the requester merges into its replica at once instead of waiting for gossip.
   * {@code row} is null when the donor has no row; {@code refusal} says why nothing was given.
   */
  record Reply(String transferId, WriterKey donor, long given, Row row, String refusal)
      implements TransferMessage {}
}
