package io.loyaltyledger.ledger.bench;

import io.loyaltyledger.ledger.crdt.Bucket;
import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.crdt.BucketSerializer;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.RowUpdate;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jol.info.GraphLayout;

/**
 * How much memory a replica needs per account, and how large its largest bucket is on the wire: a
 * documented main, run by {@code bench/memory.sh} (not a test).
 *
 * <p>Builds the state one replica holds once every writer published its rows: N distinct accounts,
 * each with a row from each of W writers, merged bucket by bucket as published rounds do (one
 * merge per writer and bucket). Then it measures the buckets' retained size by walking the object
 * graph (JOL; exact, no GC noise) — account ids, rows and arrays included, writer keys shared by
 * every bucket counted once — and the serialized size of every bucket (what gossip, digests and
 * LMDB handle). The heap used after a full GC is printed as a cross-check.
 */
public final class ReplicaMemoryBenchmark {

  public static void main(String[] args) {
    int accounts = 1_000_000;
    int writers = 3;
    int buckets = 4096;
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      switch (kv[0]) {
        case "--accounts" -> accounts = Integer.parseInt(kv[1]);
        case "--writers" -> writers = Integer.parseInt(kv[1]);
        case "--buckets" -> buckets = Integer.parseInt(kv[1]);
        case "--help" -> {
          System.out.println("bench/memory.sh [--accounts=1000000] [--writers=3] [--buckets=4096]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    long heapBefore = usedHeapAfterGc();
    long started = System.nanoTime();
    Bucket[] replica = build(accounts, writers, buckets);
    double buildSeconds = (System.nanoTime() - started) / 1e9;
    long heapAfter = usedHeapAfterGc();

    GraphLayout layout = GraphLayout.parseInstance((Object[]) replica);
    long graphBytes = layout.totalSize();
    BucketSerializer serializer = new BucketSerializer(null);
    long serializedTotal = 0;
    int largest = 0;
    int largestAccounts = 0;
    for (Bucket bucket : replica) {
      int size = serializer.toBinary(bucket).length;
      serializedTotal += size;
      if (size > largest) {
        largest = size;
        largestAccounts = bucket.size();
      }
    }

    System.out.printf("REPLICA MEMORY — %,d accounts x %d writers in %,d buckets (built in %.1f s)%n",
        accounts, writers, buckets, buildSeconds);
    System.out.printf("  retained by the buckets (object graph): %,d bytes = %.1f bytes/account%n",
        graphBytes, (double) graphBytes / accounts);
    System.out.printf("  heap used after GC, cross-check:        %,d bytes = %.1f bytes/account%n",
        heapAfter - heapBefore, (double) (heapAfter - heapBefore) / accounts);
    System.out.printf("  serialized: %,d bytes in all (%.1f bytes/account); largest bucket %,d bytes"
            + " (%d accounts, limit 65,536)%n",
        serializedTotal, (double) serializedTotal / accounts, largest, largestAccounts);
    System.out.println("  goals: <= 200 bytes/account: " + verdict(graphBytes <= 200L * accounts)
        + "; largest bucket < 64 KiB: " + verdict(largest < 65_536));
    System.out.println("  by class (count, average bytes, total bytes):");
    layout.toFootprint().lines().skip(2).forEach(line -> System.out.println("    " + line));
  }

  /** One replica's buckets after every writer published a row for every account. */
  static Bucket[] build(int accounts, int writerCount, int bucketCount) {
    BucketIds ids = new BucketIds(bucketCount);
    List<List<String>> idsByBucket = new ArrayList<>(bucketCount);
    for (int b = 0; b < bucketCount; b++) {
      idsByBucket.add(new ArrayList<>());
    }
    for (int i = 0; i < accounts; i++) {
      // Shaped like real customer ids; built fresh, as a decoder would, not shared constants.
      String id = String.format("cust-%08d", i);
      idsByBucket.get(ids.bucketOf(id)).add(id);
    }
    SplittableRandom random = new SplittableRandom(42);
    Bucket[] replica = new Bucket[bucketCount];
    java.util.Arrays.fill(replica, Bucket.EMPTY);
    for (int w = 0; w < writerCount; w++) {
      WriterKey writer = WriterKey.of("order-" + (w + 1), String.format("%032x", random.nextLong() & Long.MAX_VALUE));
      for (int b = 0; b < bucketCount; b++) {
        List<RowUpdate> rows = new ArrayList<>(idsByBucket.get(b).size());
        for (String id : idsByBucket.get(b)) {
          long credited = 1 + random.nextInt(100_000);
          long debited = random.nextInt(4) == 0 ? random.nextLong(credited) : 0;
          rows.add(new RowUpdate(new String(id), writer, Row.of(credited, debited, 1 + random.nextInt(50))));
        }
        replica[b] = replica[b].mergeRows(rows).resetDelta();
      }
    }
    return replica;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String verdict(boolean met) {
    return met ? "MET" : "NOT MET";
  }
}
