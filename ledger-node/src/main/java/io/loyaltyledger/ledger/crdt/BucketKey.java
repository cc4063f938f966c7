package io.loyaltyledger.ledger.crdt;

import akka.cluster.ddata.Key;
import akka.cluster.ddata.ReplicatedDataSerialization;

/** The Distributed Data key of one bucket, {@code ledger-<n>}. */
public final class BucketKey extends Key<Bucket> implements ReplicatedDataSerialization {

  private static final long serialVersionUID = 1L;

  public BucketKey(String id) {
    super(id);
  }
}
