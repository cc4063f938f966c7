package io.loyaltyledger.ledger.writer;

/** The identity row of a writer database as established by the current open. */
record WriterIdentity(String writerName, String incarnation, int buckets, long epoch,
    boolean created, boolean newEpoch) {}
