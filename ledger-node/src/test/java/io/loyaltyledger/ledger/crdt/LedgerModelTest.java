package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * A model test in the spirit of riak_dt's: writers credit, debit and transfer on their own rows
 * (their "databases"), publish absolute rows to random replicas, sometimes stale ones; replicas
 * gossip deltas (lost for a while, duplicated, reordered) and merge full states. Once everything
 * is delivered, every replica holds exactly the writers' rows, and each account's totals equal a
 * plain-integer model of the operations.
 */
class LedgerModelTest {

  private static final int WRITERS = 3;
  private static final int ACCOUNTS = 3;
  private static final int REPLICAS = 3;

  sealed interface Op {}

  /** A writer commits a change to its own row; it may publish right away or later. */
  record Change(Kind kind, int writer, int account, long amount, int peer, boolean publish, int replica)
      implements Op {}

  enum Kind {
    CREDIT,
    DEBIT,
    TRANSFER
  }

  /** A writer publishes all its current rows in one batch. */
  record PublishAll(int writer, int replica) implements Op {}

  /** A retry delivers an old snapshot of a row, which must change nothing. */
  record PublishStale(int writer, int account, int replica) implements Op {}

  /** Some of the deltas pending from one replica to another arrive, maybe twice. */
  record GossipDeltas(int from, int to) implements Op {}

  /** Full-state gossip. */
  record MergeState(int from, int to) implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Integer> writer = Arbitraries.integers().between(0, WRITERS - 1);
    Arbitrary<Integer> account = Arbitraries.integers().between(0, ACCOUNTS - 1);
    Arbitrary<Integer> replica = Arbitraries.integers().between(0, REPLICAS - 1);
    Arbitrary<Change> changes =
        Combinators.combine(
                Arbitraries.of(Kind.class),
                writer,
                account,
                Arbitraries.longs().between(1, 1_000),
                writer,
                Arbitraries.of(true, true, false),
                replica)
            .as(Change::new);
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            Tuple.of(8, changes),
            Tuple.of(1, Combinators.combine(writer, replica).as(PublishAll::new)),
            Tuple.of(
                1, Combinators.combine(writer, account, replica).as(PublishStale::new)),
            Tuple.of(3, Combinators.combine(replica, replica).as(GossipDeltas::new)),
            Tuple.of(1, Combinators.combine(replica, replica).as(MergeState::new)));
    return op.list().ofMaxSize(100);
  }

  @Property(tries = 1000)
  void replicasConvergeOnTheModel(@ForAll("operations") List<Op> ops, @ForAll Random random) {
    World world = new World(random);
    for (Op op : ops) {
      world.apply(op);
      world.checkNoReplicaIsAheadOfTheWriters();
    }
    world.publishEverythingAndDeliverAllDeltas();
    world.checkConverged();
  }

  /** The writers' databases, the plain-integer model, and the replicas. */
  private static final class World {

    private final Random random;
    private final WriterKey[] writerKeys = new WriterKey[WRITERS];
    private final String[] accountIds = {"alice", "bob", "zoë"};

    /** Each writer's own rows, and every version of them it ever had. */
    private final Row[][] database = new Row[WRITERS][ACCOUNTS];
    private final List<List<List<Row>>> history = new ArrayList<>();

    /** The model: plain sums per account and writer. */
    private final long[][] credits = new long[ACCOUNTS][WRITERS];
    private final long[][] debits = new long[ACCOUNTS][WRITERS];
    private final long[][][] transfers = new long[ACCOUNTS][WRITERS][WRITERS];

    private final Bucket[] replicas = new Bucket[REPLICAS];
    /** Deltas produced by one replica's local updates, not yet delivered to another. */
    private final Map<Integer, List<BucketDelta>> pending = new HashMap<>();
    private final Map<Integer, List<BucketDelta>> delivered = new HashMap<>();

    World(Random random) {
      this.random = random;
      String[] incarnations = {"0badc0de", "3f2a9c1e", "12345678"};
      for (int w = 0; w < WRITERS; w++) {
        writerKeys[w] = WriterKey.of("order-" + w, incarnations[w]);
        List<List<Row>> rows = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
          database[w][a] = Row.ZERO;
          rows.add(new ArrayList<>(List.of(Row.ZERO)));
        }
        history.add(rows);
      }
      for (int r = 0; r < REPLICAS; r++) {
        replicas[r] = Bucket.EMPTY;
      }
    }

    void apply(Op op) {
      if (op instanceof Change change) {
        commit(change);
        if (change.publish()) {
          publish(change.replica(), List.of(rowOf(change.writer(), change.account())));
        }
      } else if (op instanceof PublishAll all) {
        List<RowUpdate> rows = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
          rows.add(rowOf(all.writer(), a));
        }
        publish(all.replica(), rows);
      } else if (op instanceof PublishStale stale) {
        List<Row> versions = history.get(stale.writer()).get(stale.account());
        Row old = versions.get(random.nextInt(versions.size()));
        publish(
            stale.replica(),
            List.of(new RowUpdate(accountIds[stale.account()], writerKeys[stale.writer()], old)));
      } else if (op instanceof GossipDeltas gossip) {
        deliverSome(gossip.from(), gossip.to());
      } else if (op instanceof MergeState merge) {
        replicas[merge.to()] = replicas[merge.to()].mergeData(replicas[merge.from()]);
      } else {
        throw new IllegalArgumentException("unknown operation " + op);
      }
    }

    /** One local transaction on the writer's own row, and the model's integers. */
    private void commit(Change change) {
      int w = change.writer();
      int a = change.account();
      Row row = database[w][a];
      long credited = row.credited();
      long debited = row.debited();
      TreeMap<WriterKey, Long> sent = new TreeMap<>(row.sent());
      switch (change.kind()) {
        case CREDIT -> {
          credited += change.amount();
          credits[a][w] += change.amount();
        }
        case DEBIT -> {
          debited += change.amount();
          debits[a][w] += change.amount();
        }
        case TRANSFER -> {
          sent.merge(writerKeys[change.peer()], change.amount(), Long::sum);
          transfers[a][w][change.peer()] += change.amount();
        }
      }
      database[w][a] = Row.of(credited, debited, row.version() + 1, sent);
      history.get(w).get(a).add(database[w][a]);
    }

    private RowUpdate rowOf(int writer, int account) {
      return new RowUpdate(accountIds[account], writerKeys[writer], database[writer][account]);
    }

    /** An Update on one replica: merge, take the delta for every peer, reset. */
    private void publish(int replica, List<RowUpdate> rows) {
      Bucket updated = replicas[replica].mergeRows(rows);
      updated
          .deltaData()
          .ifPresent(
              delta -> {
                for (int peer = 0; peer < REPLICAS; peer++) {
                  if (peer != replica) {
                    pending.computeIfAbsent(channel(replica, peer), k -> new ArrayList<>()).add(delta);
                  }
                }
              });
      replicas[replica] = updated.resetDelta();
    }

    private static int channel(int from, int to) {
      return from * REPLICAS + to;
    }

    /** A random part of the pending deltas, in random order, some delivered ones again. */
    private void deliverSome(int from, int to) {
      if (from == to) {
        return;
      }
      List<BucketDelta> queue = pending.getOrDefault(channel(from, to), new ArrayList<>());
      List<BucketDelta> batch = new ArrayList<>();
      for (int i = queue.size() - 1; i >= 0; i--) {
        if (random.nextBoolean()) {
          batch.add(queue.remove(i));
        }
      }
      List<BucketDelta> old = delivered.computeIfAbsent(channel(from, to), k -> new ArrayList<>());
      if (!old.isEmpty() && random.nextBoolean()) {
        batch.add(old.get(random.nextInt(old.size())));
      }
      old.addAll(batch);
      Collections.shuffle(batch, random);
      for (BucketDelta delta : batch) {
        replicas[to] = (Bucket) replicas[to].mergeDelta(delta);
      }
    }

    /** Replicas only ever hold rows the writers really had. */
    void checkNoReplicaIsAheadOfTheWriters() {
      for (Bucket replica : replicas) {
        for (int a = 0; a < ACCOUNTS; a++) {
          Account account = replica.account(accountIds[a]);
          for (int w = 0; w < WRITERS; w++) {
            assertThat(database[w][a].covers(account.row(writerKeys[w]))).isTrue();
          }
          assertThat(account.earned()).isLessThanOrEqualTo(sum(credits[a]));
          assertThat(account.spent()).isLessThanOrEqualTo(sum(debits[a]));
        }
      }
    }

    /** The publishers catch up; then every pending delta arrives (no full-state gossip). */
    void publishEverythingAndDeliverAllDeltas() {
      for (int w = 0; w < WRITERS; w++) {
        List<RowUpdate> rows = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
          rows.add(rowOf(w, a));
        }
        publish(random.nextInt(REPLICAS), rows);
      }
      for (int from = 0; from < REPLICAS; from++) {
        for (int to = 0; to < REPLICAS; to++) {
          List<BucketDelta> queue = pending.getOrDefault(channel(from, to), List.of());
          List<BucketDelta> all = new ArrayList<>(queue);
          all.addAll(queue); // everything twice
          Collections.shuffle(all, random);
          for (BucketDelta delta : all) {
            replicas[to] = (Bucket) replicas[to].mergeDelta(delta);
          }
        }
      }
    }

    void checkConverged() {
      for (int r = 1; r < REPLICAS; r++) {
        assertThat(replicas[r]).isEqualTo(replicas[0]);
        assertThat(BucketSerializer.encode(replicas[r]))
            .isEqualTo(BucketSerializer.encode(replicas[0]));
      }
      Bucket bucket = replicas[0];
      for (int a = 0; a < ACCOUNTS; a++) {
        Account account = bucket.account(accountIds[a]);
        for (int w = 0; w < WRITERS; w++) {
          assertThat(account.row(writerKeys[w])).isEqualTo(database[w][a]);
        }
        long earned = sum(credits[a]);
        long spent = sum(debits[a]);
        assertThat(account.earned()).isEqualTo(earned);
        assertThat(account.spent()).isEqualTo(spent);
        assertThat(account.balance()).isEqualTo(earned - spent);
        long totalRights = 0;
        for (int i = 0; i < WRITERS; i++) {
          long received = 0;
          long sent = 0;
          for (int j = 0; j < WRITERS; j++) {
            received += transfers[a][j][i];
            sent += transfers[a][i][j];
          }
          long rights = credits[a][i] + received - sent - debits[a][i];
          assertThat(account.rights(writerKeys[i])).isEqualTo(rights);
          totalRights += rights;
        }
        assertThat(totalRights).isEqualTo(account.balance());
      }
    }

    private static long sum(long[] values) {
      long total = 0;
      for (long value : values) {
        total += value;
      }
      return total;
    }
  }
}
