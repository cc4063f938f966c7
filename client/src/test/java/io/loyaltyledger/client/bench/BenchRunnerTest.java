package io.loyaltyledger.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltyledger.client.LoyaltyException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The runner against an in-memory cluster: what it does, counts and measures (no wall-time limits). */
class BenchRunnerTest {

  /** Orders earn floor(amount) points; every other redemption is refused; writes are visible at once. */
  static class FakeCluster implements BenchTarget {
    final AtomicLong version = new AtomicLong();
    final AtomicLong redemptions = new AtomicLong();
    final Set<String> placed = ConcurrentHashMap.newKeySet();
    final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong probes = new AtomicLong();
    volatile long firstOrderPauseMillis;

    @Override
    public Placed placeOrder(String accountId, String amount, long redeemPoints) {
      if (redeemPoints > 0 && redemptions.incrementAndGet() % 2 == 0) {
        throw new LoyaltyException("insufficient_points", 409, "not enough points", null);
      }
      long v = version.incrementAndGet();
      if (v == 1 && firstOrderPauseMillis > 0) {
        try {
          Thread.sleep(firstOrderPauseMillis);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      String id = "o-" + v;
      placed.add(id);
      long points = Long.parseLong(amount.substring(0, amount.indexOf('.')));
      return new Placed(id, points, redeemPoints, "fake@1:" + v, "node-" + (v % 2));
    }

    @Override
    public Cancelled cancelOrder(String orderId, String node) {
      assertThat(placed).contains(orderId);
      assertThat(cancelled.add(orderId)).as("cancelled once: " + orderId).isTrue();
      long points = Long.parseLong(orderId.substring(2)); // only to check it is settled
      return new Cancelled(0, 0, "fake@1:" + version.incrementAndGet() + ":" + points);
    }

    @Override
    public void readBalance(String accountId) {
      reads.incrementAndGet();
    }

    @Override
    public List<String> replicas() {
      return List.of("a", "b", "c");
    }

    @Override
    public boolean awaitVisible(String replica, String accountId, String token, long deadlineNanos) {
      probes.incrementAndGet();
      return true;
    }
  }

  private static BenchPlan plan(Budget budget, Pacing pacing, int concurrency, String mix, String lagSample) {
    return new BenchPlan(budget, pacing, concurrency, Mix.parse(mix), 50, "t-", LagSampler.parse(lagSample),
        Duration.ofSeconds(5), 16, 10, 42);
  }

  private static long ok(Report.Result r, String op) {
    return r.operations().stream().filter(o -> o.operation().equals(op)).mapToLong(Report.OperationRow::ok).sum();
  }

  private static long errors(Report.Result r, String op) {
    return r.operations().stream().filter(o -> o.operation().equals(op)).mapToLong(Report.OperationRow::errors).sum();
  }

  @Test
  void aCountedClosedLoopRunsExactlyThatManyOperationsOfTheMix() throws Exception {
    FakeCluster cluster = new FakeCluster();
    BenchRunner runner = new BenchRunner(plan(Budget.of(2_000), Pacing.flatOut(), 4, Mix.DEFAULT, "1"), cluster);
    Report.Result r = runner.run(Map.of());

    assertThat(r.total().ok() + r.total().errors()).isEqualTo(2_000);
    assertThat(runner.recorder().done()).isEqualTo(2_000);
    assertThat(ok(r, "reads")).isEqualTo(cluster.reads.get()).isPositive();
    assertThat(ok(r, "cancellations")).isEqualTo(cluster.cancelled.size()).isPositive();
    assertThat(ok(r, "orders") + ok(r, "redemptions")).isEqualTo(cluster.placed.size());
    // half the redemptions are refused: counted as errors by code, not as a crash
    assertThat(errors(r, "redemptions")).isPositive();
    assertThat(r.errors()).singleElement().satisfies(e -> {
      assertThat(e.code()).isEqualTo("insufficient_points");
      assertThat(e.status()).isEqualTo(409);
      assertThat(e.operation()).isEqualTo("redemptions");
      assertThat(e.count()).isEqualTo(errors(r, "redemptions"));
    });
    // every acknowledged write is sampled ("1"): each is measured or, at the probe limit, skipped
    long writes = ok(r, "orders") + ok(r, "redemptions") + ok(r, "cancellations");
    assertThat(r.lag().started() + r.lag().skipped()).isEqualTo(writes);
    assertThat(r.lag().lag().count()).isEqualTo(r.lag().started());
    assertThat(cluster.probes.get()).isEqualTo(3 * r.lag().started()); // every replica, each time
    assertThat(r.lag().nodes()).isEqualTo(3);
    assertThat(r.targetRate()).isZero();
  }

  @Test
  void aTimedOpenLoopRunsTheOperationsDueInItsTime() throws Exception {
    FakeCluster cluster = new FakeCluster();
    // 0.2 s at 100 ops/s: operations 0..19 are due, however fast or slow the machine is
    BenchRunner runner = new BenchRunner(
        plan(Budget.of(Duration.ofMillis(200)), Pacing.rate(100), 8, "orders=1,reads=1", "0"), cluster);
    Report.Result r = runner.run(Map.of());
    assertThat(r.total().ok()).isEqualTo(20);
    assertThat(r.targetRate()).isEqualTo(100);
    assertThat(r.lag().started()).isZero();
    assertThat(cluster.probes.get()).isZero();
  }

  @Test
  void anOpenLoopChargesAStallToTheOperationsThatWereDueDuringIt() throws Exception {
    FakeCluster cluster = new FakeCluster();
    cluster.firstOrderPauseMillis = 300;
    // one worker, an operation due every millisecond: the first order stalls 300 ms, and the
    // 19 orders due behind it start late; their latency counts from when they were due
    BenchRunner runner = new BenchRunner(
        plan(Budget.of(20), Pacing.rate(1_000), 1, "orders=1", "0"), cluster);
    Report.Result r = runner.run(Map.of());
    Percentiles p = r.operations().get(0).latency();
    assertThat(p.count()).isEqualTo(20);
    // order k (from 0) was due at k ms and cannot start before 300 ms: at least (300 - k) ms
    assertThat(p.p50()).isGreaterThanOrEqualTo(280_000);
    assertThat(p.max()).isGreaterThanOrEqualTo(300_000);

    // the same stall in a closed loop delays only the operation that stalled
    FakeCluster closed = new FakeCluster();
    closed.firstOrderPauseMillis = 300;
    Report.Result c = new BenchRunner(plan(Budget.of(20), Pacing.flatOut(), 1, "orders=1", "0"), closed)
        .run(Map.of());
    assertThat(c.operations().get(0).latency().max()).isGreaterThanOrEqualTo(300_000);
    assertThat(c.operations().get(0).latency().count()).isEqualTo(20);
  }

  @Test
  void withNothingToCancelOrRedeemYetAnOrderRunsInstead() throws Exception {
    FakeCluster cluster = new FakeCluster();
    BenchRunner runner = new BenchRunner(
        plan(Budget.of(10), Pacing.flatOut(), 1, "cancellations=1,redemptions=1", "0"), cluster);
    Report.Result r = runner.run(Map.of());
    // the first pick finds no order to cancel and no account with points: it places an order
    assertThat(ok(r, "orders")).isPositive();
    assertThat(r.substituted().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ok(r, "orders"));
    assertThat(r.total().ok() + r.total().errors()).isEqualTo(10);
  }

  @Test
  void aStoppedRunEndsEarlyAndStillReports() throws Exception {
    FakeCluster cluster = new FakeCluster();
    BenchRunner runner = new BenchRunner(
        plan(Budget.of(Duration.ofHours(1)), Pacing.rate(50), 2, "reads=1", "0"), cluster);
    Thread stopper = new Thread(() -> {
      while (cluster.reads.get() < 3) {
        Thread.onSpinWait();
      }
      runner.stop();
    });
    stopper.start();
    Report.Result r = runner.run(Map.of());
    stopper.join();
    assertThat(ok(r, "reads")).isGreaterThanOrEqualTo(3);
  }
}
