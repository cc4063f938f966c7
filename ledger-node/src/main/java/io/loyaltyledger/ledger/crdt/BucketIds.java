package io.loyaltyledger.ledger.crdt;

import akka.cluster.ddata.Key;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Maps accounts to buckets. The hash must be identical on every JVM and every version, because
 * the bucket an account lives in is part of the replicated data: CRC32C of the UTF-8 bytes.
 */
public final class BucketIds {

  private static final String PREFIX = "ledger-";

  private final int buckets;

  public BucketIds(int buckets) {
    if (buckets < 1 || buckets > 65_536) {
      throw new IllegalArgumentException("buckets must be in 1..65536, was " + buckets);
    }
    this.buckets = buckets;
  }

  public int buckets() {
    return buckets;
  }

  public int bucketOf(String accountId) {
    CRC32C crc = new CRC32C();
    crc.update(accountId.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % buckets);
  }

  public Key<Bucket> keyOf(int bucket) {
    return new BucketKey(PREFIX + bucket);
  }

  public Key<Bucket> keyOfAccount(String accountId) {
    return keyOf(bucketOf(accountId));
  }
}
