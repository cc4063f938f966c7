package io.loyaltyledger.ledger.crdt;

import java.util.ArrayDeque;

/**
 * The serialized bytes of the buckets encoded last, kept on the (immutable) instances so that the
 * same state is encoded once for all of Distributed Data's uses of it: the Replicator serializes
 * a key's whole value for its SHA-1 digest in gossip status rounds, for the durable store (LMDB
 * write-behind) and for full-state gossip, and mostly hands all three the same instance. Bounded
 * by bytes: the instances encoded first let their bytes go first.
 *
 * <p>Thread-safe: the Replicator, the durable store and Artery serialize on different threads.
 * The bytes handed out are shared and must not be modified (Akka's serializers copy them into
 * their own messages).
 */
final class EncodedBuckets {

  private record Held(Bucket bucket, int bytes) {}

  private final long maxBytes;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private long heldBytes;

  /** @param maxBytes bytes held at most; 0 holds none */
  EncodedBuckets(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The bucket's canonical bytes ({@link BucketFormat#TAG_BUCKET}): shared, do not modify. */
  byte[] encode(Bucket bucket) {
    byte[] bytes = bucket.cachedEncoding();
    if (bytes != null) {
      return bytes;
    }
    bytes = BucketEncoder.encode(bucket, BucketFormat.TAG_BUCKET);
    // A bucket above a quarter of the budget would evict most others for one use.
    if (bytes.length <= maxBytes / 4 && bucket.cacheEncoding(bytes)) {
      hold(bucket, bytes.length);
    }
    return bytes;
  }

  private synchronized void hold(Bucket bucket, int length) {
    held.addLast(new Held(bucket, length));
    heldBytes += length;
    while (heldBytes > maxBytes) {
      Held oldest = held.pollFirst();
      heldBytes -= oldest.bytes();
      oldest.bucket().dropEncoding();
    }
  }

  /** Bytes held now, for tests. */
  synchronized long heldBytes() {
    return heldBytes;
  }
}
