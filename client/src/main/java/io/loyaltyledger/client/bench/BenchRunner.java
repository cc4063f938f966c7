package io.loyaltyledger.client.bench;

import io.loyaltyledger.client.LoyaltyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link BenchPlan} against a {@link BenchTarget}: {@code concurrency} worker threads take
 * numbered operations (tickets) until the budget is spent. Open loop: ticket {@code n} is due at
 * its scheduled time, and its latency counts from then; a worker that is late starts at once.
 * Closed loop: a worker starts its next operation when the last one answered. Convergence lag
 * probes run on their own threads ({@link LagProbes}).
 */
public final class BenchRunner {

  /** Orders cost 1.00 to 100.00 (whole cents), redemptions 1.00. */
  private static final int MIN_CENTS = 100;
  private static final int MAX_CENTS = 10_000;
  private static final String REDEMPTION_AMOUNT = "1.00";

  private final BenchPlan plan;
  private final BenchTarget target;
  private final Recorder recorder = new Recorder();
  private final AccountBook book;
  private final AtomicLong tickets = new AtomicLong();
  private volatile boolean stopped;
  private volatile long startNanos;
  private volatile boolean draining;
  private LagProbes probes;

  public BenchRunner(BenchPlan plan, BenchTarget target) {
    this.plan = plan;
    this.target = target;
    this.book = new AccountBook(plan.accountPrefix(), plan.accounts(), 100_000);
  }

  public Recorder recorder() {
    return recorder;
  }

  /** Asks the workers to stop after their current operation (Ctrl-C); the report covers what ran. */
  public void stop() {
    stopped = true;
  }

  /** How far the run is, 0..1 (0 before it starts). */
  public double fraction() {
    long start = startNanos;
    if (start == 0) {
      return 0;
    }
    return plan.budget().fraction(recorder.done(), System.nanoTime() - start);
  }

  public long elapsedNanos() {
    long start = startNanos;
    return start == 0 ? 0 : System.nanoTime() - start;
  }

  /** True once the operations are done and the last lag probes are awaited. */
  public boolean draining() {
    return draining;
  }

  public int probesInFlight() {
    LagProbes p = probes;
    return p == null ? 0 : p.inFlight();
  }

  /** Runs the plan and waits for the last lag probes; {@code settings} head the report. */
  public Report.Result run(Map<String, String> settings) throws InterruptedException {
    try (LagProbes lag = new LagProbes(target, plan.lagSampler(), plan.lagBound(), plan.lagInFlight(), recorder)) {
      probes = lag;
      SplittableRandom seeds = new SplittableRandom(plan.seed());
      List<Thread> workers = new ArrayList<>();
      startNanos = System.nanoTime();
      for (int i = 0; i < plan.concurrency(); i++) {
        SplittableRandom random = seeds.split();
        Thread t = new Thread(() -> work(random), "bench-worker-" + (i + 1));
        t.setDaemon(true);
        workers.add(t);
      }
      workers.forEach(Thread::start);
      for (Thread t : workers) {
        t.join();
      }
      long elapsed = System.nanoTime() - startNanos;
      draining = true;
      // a probe gives up at its bound (plus one wait of the node's); after Ctrl-C, not for long
      lag.drain(stopped ? Duration.ofSeconds(2) : plan.lagBound().plusSeconds(15));
      return recorder.result(settings, elapsed, plan.pacing(), plan.lagSampler(), plan.lagBound(), lag.nodes());
    }
  }

  private void work(SplittableRandom random) {
    Pacing pacing = plan.pacing();
    Budget budget = plan.budget();
    while (!stopped) {
      long ticket = tickets.getAndIncrement();
      long intended;
      if (pacing.openLoop()) {
        long offset = pacing.intendedOffsetNanos(ticket);
        if (!budget.admits(ticket, offset)) {
          return;
        }
        intended = startNanos + offset;
        if (!sleepUntil(intended)) {
          return;
        }
      } else {
        intended = System.nanoTime();
        if (!budget.admits(ticket, intended - startNanos)) {
          return;
        }
      }
      execute(plan.mix().pick(random.nextDouble()), intended, random);
    }
  }

  private boolean sleepUntil(long nanos) {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      if (stopped) {
        return false;
      }
      LockSupport.parkNanos(Math.min(left, 100_000_000L));
    }
    return !stopped;
  }

  private void execute(Operation op, long intended, SplittableRandom random) {
    switch (op) {
      case ORDERS -> order(intended, random);
      case CANCELLATIONS -> {
        AccountBook.PlacedOrder order = book.takeCancellable(random);
        if (order == null) {
          recorder.substituted(op);
          order(intended, random);
        } else {
          cancel(order, intended);
        }
      }
      case REDEMPTIONS -> {
        int account = book.reserve(plan.redeemPoints(), random);
        if (account < 0) {
          recorder.substituted(op);
          order(intended, random);
        } else {
          redeem(account, intended);
        }
      }
      case READS -> read(intended, random);
    }
  }

  private void order(long intended, SplittableRandom random) {
    int account = book.randomAccount(random);
    String accountId = book.accountId(account);
    int cents = random.nextInt(MIN_CENTS, MAX_CENTS + 1);
    String amount = String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
    try {
      BenchTarget.Placed placed = target.placeOrder(accountId, amount, 0);
      long at = System.nanoTime();
      recorder.ok(Operation.ORDERS, at - intended);
      book.add(account, placed.pointsEarned());
      book.placed(new AccountBook.PlacedOrder(placed.orderId(), account, placed.pointsEarned(), placed.node()), random);
      probes.acknowledged(accountId, placed.token(), at);
    } catch (RuntimeException e) {
      failed(Operation.ORDERS, e);
    }
  }

  private void cancel(AccountBook.PlacedOrder order, long intended) {
    String accountId = book.accountId(order.account());
    try {
      BenchTarget.Cancelled cancelled = target.cancelOrder(order.orderId(), order.node());
      long at = System.nanoTime();
      recorder.ok(Operation.CANCELLATIONS, at - intended);
      // the points were reserved when the order was taken; settle with what the node says
      book.add(order.account(), order.pointsEarned() - cancelled.pointsReversed() + cancelled.pointsRefunded());
      probes.acknowledged(accountId, cancelled.token(), at);
    } catch (RuntimeException e) {
      failed(Operation.CANCELLATIONS, e);
      if (!maybeApplied(e)) {
        book.add(order.account(), order.pointsEarned());
      }
    }
  }

  private void redeem(int account, long intended) {
    String accountId = book.accountId(account);
    long points = plan.redeemPoints();
    try {
      BenchTarget.Placed placed = target.placeOrder(accountId, REDEMPTION_AMOUNT, points);
      long at = System.nanoTime();
      recorder.ok(Operation.REDEMPTIONS, at - intended);
      book.add(account, placed.pointsEarned() + points - placed.pointsRedeemed());
      probes.acknowledged(accountId, placed.token(), at);
    } catch (RuntimeException e) {
      failed(Operation.REDEMPTIONS, e);
      if (!maybeApplied(e)) {
        book.add(account, points);
      }
    }
  }

  private void read(long intended, SplittableRandom random) {
    try {
      target.readBalance(book.accountId(book.randomAccount(random)));
      recorder.ok(Operation.READS, System.nanoTime() - intended);
    } catch (RuntimeException e) {
      failed(Operation.READS, e);
    }
  }

  private void failed(Operation op, RuntimeException e) {
    if (e instanceof LoyaltyException le) {
      recorder.error(op, le.errorCode(), le.status(), le.getMessage());
    } else {
      recorder.error(op, "client_error", 0, e.toString());
    }
  }

  /** An unknown outcome may have been applied: its points stay reserved (the run spends less). */
  private static boolean maybeApplied(RuntimeException e) {
    return e instanceof LoyaltyException le && "outcome_unknown".equals(le.errorCode());
  }
}
