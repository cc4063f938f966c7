package io.loyaltyledger.ledger.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of small worlds: a handful of writers and accounts, so rows collide often. */
final class CrdtArbitraries {

  static final List<WriterKey> WRITERS =
      List.of(
          WriterKey.of("order-1", "3f2a9c1e"),
          WriterKey.of("order-1", "77aa0e11"), // same name, new incarnation: another writer
          WriterKey.of("order-2", "0badc0de"),
          WriterKey.of("ledger-1", "12345678"));

  /** Includes non-ASCII ids, one outside the BMP, to exercise UTF-8 and sort order. */
  static final List<String> ACCOUNTS = List.of("alice", "bob", "carol-42", "zoë", "\uD83D\uDE00-7");

  private CrdtArbitraries() {}

  static Arbitrary<WriterKey> writers() {
    return Arbitraries.of(WRITERS);
  }

  static Arbitrary<String> accountIds() {
    return Arbitraries.of(ACCOUNTS);
  }

  /** Mostly small values, sometimes zero or up to the maximum. */
  static Arbitrary<Long> values() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(0, 1_000)),
        Tuple.of(2, Arbitraries.just(0L)),
        Tuple.of(1, Arbitraries.longs().between(0, Row.MAX_TOTAL)));
  }

  static Arbitrary<SortedMap<WriterKey, Long>> sentMaps() {
    Arbitrary<Map<WriterKey, Long>> maps =
        Arbitraries.maps(writers(), Arbitraries.longs().between(0, 50)).ofMaxSize(3);
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(new TreeMap<>())), Tuple.of(1, maps.map(TreeMap::new)));
  }

  static Arbitrary<Row> rows() {
    return Combinators.combine(values(), values(), values(), sentMaps()).as(Row::of);
  }

  static Arbitrary<RowUpdate> rowUpdates() {
    return Combinators.combine(accountIds(), writers(), rows()).as(RowUpdate::new);
  }

  static Arbitrary<List<RowUpdate>> batches() {
    return rowUpdates().list().ofMaxSize(8);
  }

  static Arbitrary<List<List<RowUpdate>>> batchSequences() {
    return batches().list().ofMaxSize(8);
  }

  static Arbitrary<Bucket> buckets() {
    return rowUpdates().list().ofMaxSize(20).map(rows -> Bucket.EMPTY.mergeRows(rows).resetDelta());
  }

  static Arbitrary<BucketDelta> deltas() {
    return buckets().map(BucketDelta::of);
  }

  /** Every (account, writer) pair of the generated world. */
  static List<RowUpdate> allPairs(Bucket bucket) {
    List<RowUpdate> pairs = new ArrayList<>();
    for (String account : ACCOUNTS) {
      for (WriterKey writer : WRITERS) {
        pairs.add(new RowUpdate(account, writer, bucket.account(account).row(writer)));
      }
    }
    return pairs;
  }
}
