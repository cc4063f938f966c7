package io.loyaltyledger.client.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.random.RandomGenerator;

/**
 * The run's accounts ({@code prefix0} .. {@code prefix(N-1)}), the points each is known to hold
 * from this run's acknowledged answers, and the orders this run placed that may still be
 * cancelled.
 *
 * <p>Redemptions and cancellations reserve points first (a compare-and-set on the account's known
 * points), so concurrent workers never plan to spend the same points twice and a cancellation
 * does not claw back points the run already redeemed: the run itself causes no overdraft. The
 * cluster still decides: a redemption may be refused ({@code 409 insufficient_points}) when the
 * order node cannot get the rights in time.
 */
public final class AccountBook {

  /** An order of this run, and the node that took it (a cancellation goes there). */
  public record PlacedOrder(String orderId, int account, long pointsEarned, String node) {}

  private static final int ATTEMPTS = 8;

  private final String prefix;
  private final AtomicLongArray points;
  private final int maxOpenOrders;
  private final List<PlacedOrder> open = new ArrayList<>();

  public AccountBook(String prefix, int accounts, int maxOpenOrders) {
    if (accounts < 1) {
      throw new IllegalArgumentException("--accounts must be at least 1");
    }
    this.prefix = prefix;
    this.points = new AtomicLongArray(accounts);
    this.maxOpenOrders = maxOpenOrders;
  }

  public int size() {
    return points.length();
  }

  public String accountId(int account) {
    return prefix + account;
  }

  public int randomAccount(RandomGenerator random) {
    return random.nextInt(points.length());
  }

  public long points(int account) {
    return points.get(account);
  }

  /** Adds (or, negative, removes) points the cluster acknowledged for the account. */
  public void add(int account, long delta) {
    points.addAndGet(account, delta);
  }

  /**
   * Reserves {@code amount} points on a random account known to hold them (a few draws); the
   * account, or -1 when none of the drawn accounts holds enough.
   */
  public int reserve(long amount, RandomGenerator random) {
    for (int i = 0; i < ATTEMPTS; i++) {
      int account = randomAccount(random);
      if (tryReserve(account, amount)) {
        return account;
      }
    }
    return -1;
  }

  private boolean tryReserve(int account, long amount) {
    while (true) {
      long held = points.get(account);
      if (held < amount) {
        return false;
      }
      if (points.compareAndSet(account, held, held - amount)) {
        return true;
      }
    }
  }

  /** Remembers an order that may be cancelled later; when full, it takes a random one's place. */
  public void placed(PlacedOrder order, RandomGenerator random) {
    synchronized (open) {
      if (open.size() < maxOpenOrders) {
        open.add(order);
      } else {
        open.set(random.nextInt(open.size()), order);
      }
    }
  }

  /**
   * Takes a random order of this run whose account is known to hold its points, and reserves
   * them (the cancellation will claw them back); null when there is none (a few draws).
   */
  public PlacedOrder takeCancellable(RandomGenerator random) {
    for (int i = 0; i < ATTEMPTS; i++) {
      PlacedOrder order;
      synchronized (open) {
        if (open.isEmpty()) {
          return null;
        }
        int index = random.nextInt(open.size());
        order = open.get(index);
        // swap-remove: order does not matter
        open.set(index, open.get(open.size() - 1));
        open.remove(open.size() - 1);
      }
      if (tryReserve(order.account(), order.pointsEarned())) {
        return order;
      }
      synchronized (open) {
        open.add(order); // its points are spent for now; maybe later
      }
    }
    return null;
  }

  public int openOrders() {
    synchronized (open) {
      return open.size();
    }
  }
}
