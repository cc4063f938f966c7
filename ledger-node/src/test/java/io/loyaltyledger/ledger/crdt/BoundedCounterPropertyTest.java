package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The bounded counter on a model of 3–5 writers, each with its own row (the truth, only it writes
 * it) and its own replica view (a lower bound fed by gossip, old and duplicated deltas, and rows
 * handed over with transfer replies). Over random credits, redemptions, clawbacks, transfers
 * (some replayed under the same request id) and merges, no writer redeems beyond its real rights,
 * a writer's rights go negative only by its own clawbacks, and the global balance never goes
 * below minus the clawbacks not yet covered.
 */
class BoundedCounterPropertyTest {

  enum Kind { CREDIT, REDEEM, CLAWBACK, TRANSFER, COVER, GOSSIP, OLD_DELTA }

  record Op(Kind kind, int a, int b, long amount, boolean replay) {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Kind> kinds =
        Arbitraries.frequency(
            net.jqwik.api.Tuple.of(3, Kind.CREDIT),
            net.jqwik.api.Tuple.of(5, Kind.REDEEM),
            net.jqwik.api.Tuple.of(1, Kind.CLAWBACK),
            net.jqwik.api.Tuple.of(3, Kind.TRANSFER),
            net.jqwik.api.Tuple.of(1, Kind.COVER),
            net.jqwik.api.Tuple.of(4, Kind.GOSSIP),
            net.jqwik.api.Tuple.of(2, Kind.OLD_DELTA));
    return Combinators.combine(
            kinds,
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(0, 4),
            Arbitraries.longs().between(1, 60),
            Arbitraries.of(true, false))
        .as(Op::new)
        .list()
        .ofMaxSize(150);
  }

  @Property(tries = 500)
  void noWriterSpendsBeyondItsRightsAndTheBalanceStaysAboveUncoveredClawbacks(
      @ForAll @IntRange(min = 3, max = 5) int writerCount,
      @ForAll("operations") List<Op> ops) {
    World world = new World(writerCount);
    for (Op op : ops) {
      world.apply(op);
      world.checkInvariants();
    }
  }

  /** The whole system: every writer's true row and every writer's view of the others. */
  static final class World {
    final List<WriterKey> writers = new ArrayList<>();
    final Row[] truth;
    final Account[] views;
    /** Every row value ever published, for old and duplicated deltas. */
    final List<Map.Entry<Integer, Row>> published = new ArrayList<>();
    /** Transfer request id -> amount given: the donor's idempotency records. */
    final Map<String, Long> given = new HashMap<>();
    final long[] clawedBack;
    long redeemed;
    int nextRequest;

    World(int n) {
      truth = new Row[n];
      views = new Account[n];
      clawedBack = new long[n];
      for (int i = 0; i < n; i++) {
        writers.add(WriterKey.of("w-" + i, String.format("%08x", i + 1)));
        truth[i] = Row.ZERO;
        views[i] = Account.EMPTY;
      }
    }

    int n() {
      return truth.length;
    }

    void apply(Op op) {
      int a = op.a() % n();
      int b = op.b() % n();
      long x = op.amount();
      switch (op.kind()) {
        case CREDIT -> change(a, truth[a].credited() + x, truth[a].debited(), sentOf(a));
        case REDEEM -> redeem(a, x);
        case CLAWBACK -> {
          clawedBack[a] += x;
          change(a, truth[a].credited(), truth[a].debited() + x, sentOf(a));
        }
        case TRANSFER -> {
          if (a != b) {
            transfer(a, b, x, op.replay());
          }
        }
        case COVER -> cover(a);
        case GOSSIP -> views[a] = views[a].merge(views[b]).withRow(writers.get(b), truth[b]);
        case OLD_DELTA -> {
          if (!published.isEmpty()) {
            Map.Entry<Integer, Row> old = published.get((int) (x * 7919 % published.size()));
            views[a] = views[a].withRow(writers.get(old.getKey()), old.getValue());
          }
        }
      }
    }

    /** What writer {@code i} computes: its own true row plus its view of the others. */
    long seenRights(int i) {
      return Rights.of(views[i], writers.get(i), truth[i]);
    }

    Account truthAccount() {
      Account all = Account.EMPTY;
      for (int i = 0; i < n(); i++) {
        all = all.withRow(writers.get(i), truth[i]);
      }
      return all;
    }

    long realRights(int i) {
      return truthAccount().rights(writers.get(i));
    }

    void redeem(int i, long x) {
      if (seenRights(i) >= x) {
        assertThat(realRights(i)).as("real rights of %s when it redeems %d", i, x).isGreaterThanOrEqualTo(x);
        redeemed += x;
        change(i, truth[i].credited(), truth[i].debited() + x, sentOf(i));
      }
    }

    /** Requester {@code to} asks {@code donor}; a replay repeats the request id (a lost reply). */
    void transfer(int to, int donor, long asked, boolean replay) {
      String id = "t-" + nextRequest++;
      long first = give(id, donor, to, asked);
      deliver(to, donor);
      if (replay) {
        Row before = truth[donor];
        assertThat(give(id, donor, to, asked)).isEqualTo(first);
        assertThat(truth[donor]).as("a replayed transfer moves nothing").isEqualTo(before);
        deliver(to, donor);
      }
    }

    /** A writer with negative rights pulls the deficit from the richest donor it sees. */
    void cover(int i) {
      long rights = seenRights(i);
      if (rights >= 0) {
        return;
      }
      Account view = Rights.seenBy(views[i], writers.get(i), truth[i]);
      List<Rights.Holder> donors = Rights.donors(view, writers.get(i));
      long missing = -rights;
      for (Rights.Holder donor : donors) {
        if (missing == 0) {
          break;
        }
        int d = writers.indexOf(donor.writer());
        missing -= give("c-" + nextRequest++, d, i, missing);
        deliver(i, d);
      }
    }

    /** The donor's transaction: idempotent per id, capped by the rights it computes. */
    long give(String id, int donor, int to, long asked) {
      Long stored = given.get(id);
      if (stored != null) {
        return stored;
      }
      long amount = Rights.give(seenRights(donor), asked);
      if (amount > 0) {
        long realBefore = realRights(donor);
        TreeMap<WriterKey, Long> sent = sentOf(donor);
        sent.merge(writers.get(to), amount, Long::sum);
        change(donor, truth[donor].credited(), truth[donor].debited(), sent);
        assertThat(realBefore).as("a donor never gives beyond its rights").isGreaterThanOrEqualTo(amount);
      }
      given.put(id, amount);
      return amount;
    }

    /** The reply carries the donor's row: the requester merges it into its view. */
    void deliver(int to, int donor) {
      views[to] = views[to].withRow(writers.get(donor), truth[donor]);
    }

    TreeMap<WriterKey, Long> sentOf(int i) {
      return new TreeMap<>(truth[i].sent());
    }

    void change(int i, long credited, long debited, TreeMap<WriterKey, Long> sent) {
      truth[i] = Row.of(credited, debited, truth[i].version() + 1, sent);
      published.add(Map.entry(i, truth[i]));
    }

    void checkInvariants() {
      Account all = truthAccount();
      long sumOfRights = 0;
      long uncovered = 0;
      long clawbacks = 0;
      for (int i = 0; i < n(); i++) {
        long real = all.rights(writers.get(i));
        assertThat(seenRights(i)).as("what %s computes is a lower bound", i).isLessThanOrEqualTo(real);
        assertThat(real).as("only %s's own clawbacks drive its rights negative", i)
            .isGreaterThanOrEqualTo(-clawedBack[i]);
        sumOfRights += real;
        uncovered += Math.max(0, -real);
        clawbacks += clawedBack[i];
      }
      assertThat(sumOfRights).as("transfers move rights, they never create any").isEqualTo(all.balance());
      assertThat(all.balance()).as("balance >= - uncovered clawbacks").isGreaterThanOrEqualTo(-uncovered);
      assertThat(uncovered).isLessThanOrEqualTo(clawbacks);
      if (clawbacks == 0) {
        assertThat(all.balance()).as("redemptions alone never overdraw").isGreaterThanOrEqualTo(0);
      }
    }
  }
}
