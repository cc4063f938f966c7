package io.loyaltyledger.client.bench;

import java.util.List;

/**
 * The cluster a run drives. Every method blocks until the answer; a node's error answer is a
 * {@link io.loyaltyledger.client.LoyaltyException} with its code.
 */
public interface BenchTarget {

  /** The answer to an order (with {@code redeemPoints} redeemed when above 0). */
  record Placed(String orderId, long pointsEarned, long pointsRedeemed, String token, String node) {}

  /** The answer to a cancellation. */
  record Cancelled(long pointsReversed, long pointsRefunded, String token) {}

  Placed placeOrder(String accountId, String amount, long redeemPoints);

  /** Cancels the order on {@code node}, the node that took it. */
  Cancelled cancelOrder(String orderId, String node);

  void readBalance(String accountId);

  /** The nodes a convergence probe asks: every node whose replica must show a write. */
  List<String> replicas();

  /**
   * Blocks until {@code replica} shows the write of {@code token} for the account (true), or
   * until about {@code deadlineNanos} ({@link System#nanoTime()}) passed without (false).
   */
  boolean awaitVisible(String replica, String accountId, String token, long deadlineNanos);
}
