package io.loyaltyledger.client;

/**
 * The answer to a write: its value, the node that took it, the key it was sent with, and whether
 * the node replayed a stored answer (the write had been applied before, by an earlier attempt).
 */
public record Written<T>(T value, NodeEndpoint node, String idempotencyKey, boolean replayed) {}
