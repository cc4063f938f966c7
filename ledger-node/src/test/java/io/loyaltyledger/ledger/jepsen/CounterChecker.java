package io.loyaltyledger.ledger.jepsen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks final reads of signed counters against a {@link History}, the way Jepsen's counter
 * checkers do: the acknowledged operations fix a value, and every operation with an unknown
 * outcome may or may not have applied. For each account the converged balance must be one of the
 * values the history allows; with no unknown outcome, exactly the sum of what was acknowledged.
 *
 * <p>With redemptions, {@link #checkNoOverdraw} also checks the bounded counter's promise: a
 * redemption never spends beyond its writer's rights, so on an account that no forced debit
 * touched, no balance and no writer's rights can end negative.
 */
public final class CounterChecker {

  /** Above this many possible values the allowed set is widened to its bounds. */
  private static final int MAX_EXACT_VALUES = 1 << 16;

  /** The kind of operation that redeems points (its delta: points earned minus redeemed). */
  public static final String REDEEM = "redeem";

  private CounterChecker() {}

  /** What the history allows for one account. */
  public record Allowed(long acknowledged, long min, long max, Set<Long> exact, int unknown) {
    public boolean admits(long value) {
      return exact != null ? exact.contains(value) : value >= min && value <= max;
    }

    @Override
    public String toString() {
      if (unknown == 0) {
        return "exactly " + acknowledged;
      }
      return acknowledged + " plus any subset of " + unknown + " unknown operations ("
          + (exact != null && exact.size() <= 16 ? new TreeSet<>(exact).toString() : min + ".." + max)
          + ")";
    }
  }

  public record Result(boolean valid, List<String> errors, Map<String, Allowed> allowed) {}

  public static Map<String, Allowed> allowed(History history) {
    Map<String, Long> acknowledged = new TreeMap<>();
    Map<String, List<Long>> unknown = new TreeMap<>();
    for (History.Op op : history.ops()) {
      switch (op.outcome()) {
        case OK -> acknowledged.merge(op.account(), op.delta(), Math::addExact);
        case UNKNOWN, PENDING -> unknown.computeIfAbsent(op.account(), a -> new ArrayList<>())
            .add(op.delta());
        case FAILED -> acknowledged.putIfAbsent(op.account(), 0L);
      }
    }
    Map<String, Allowed> allowed = new TreeMap<>();
    Set<String> accounts = new TreeSet<>(acknowledged.keySet());
    accounts.addAll(unknown.keySet());
    for (String account : accounts) {
      long base = acknowledged.getOrDefault(account, 0L);
      List<Long> maybe = unknown.getOrDefault(account, List.of());
      long min = base;
      long max = base;
      Set<Long> exact = new HashSet<>(Set.of(base));
      for (long delta : maybe) {
        min += Math.min(0, delta);
        max += Math.max(0, delta);
        if (exact != null) {
          Set<Long> next = new HashSet<>(exact);
          for (long value : exact) {
            next.add(value + delta);
          }
          exact = next.size() > MAX_EXACT_VALUES ? null : next;
        }
      }
      allowed.put(account, new Allowed(base, min, max, exact, maybe.size()));
    }
    return allowed;
  }

  /**
   * @param finalBalances per node name, the balance of every account it reports after healing
   */
  public static Result check(History history, Map<String, Map<String, Long>> finalBalances) {
    Map<String, Allowed> allowed = allowed(history);
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, Map<String, Long>> node : finalBalances.entrySet()) {
      for (Map.Entry<String, Allowed> account : allowed.entrySet()) {
        Long read = node.getValue().get(account.getKey());
        if (read == null) {
          errors.add(node.getKey() + " has no final read of " + account.getKey());
        } else if (!account.getValue().admits(read)) {
          errors.add(node.getKey() + " reads " + account.getKey() + " = " + read + ", allowed: "
              + account.getValue());
        }
      }
    }
    Map<String, Long> first = null;
    String firstNode = null;
    for (Map.Entry<String, Map<String, Long>> node : finalBalances.entrySet()) {
      if (first == null) {
        first = node.getValue();
        firstNode = node.getKey();
      } else if (!first.equals(node.getValue())) {
        errors.add(node.getKey() + " disagrees with " + firstNode + ": " + node.getValue()
            + " vs " + first);
      }
    }
    return new Result(errors.isEmpty(), errors, allowed);
  }

  /** What a node reports for one account after healing: the fields the overdraw check needs. */
  public record AccountRead(long balance, long available, Map<String, Long> rights) {
    public AccountRead {
      rights = Map.copyOf(rights);
    }
  }

  /**
   * Whether {@code op} may be a forced debit (an operation that is never refused and may overdraw:
   * a negative administrative adjustment, a cancellation that claws back more than it refunds):
   * any operation with a negative delta that is not a {@link #REDEEM redemption} and may have
   * applied (not {@code FAILED}).
   */
  public static boolean forcedDebit(History.Op op) {
    return op.delta() < 0 && !REDEEM.equals(op.kind()) && op.outcome() != History.Outcome.FAILED;
  }

  /**
   * The accounts the overdraw check applies to: those the history touched with no forced debit.
   */
  public static Set<String> withoutForcedDebits(History history) {
    Set<String> accounts = new TreeSet<>();
    Set<String> forced = new HashSet<>();
    for (History.Op op : history.ops()) {
      accounts.add(op.account());
      if (forcedDebit(op)) {
        forced.add(op.account());
      }
    }
    accounts.removeAll(forced);
    return accounts;
  }

  /**
   * Checks that redemptions never overdrew: for every account whose operations include no forced
   * debit, no node's final balance, no writer's rights in its view and no node's {@code
   * available} (its own writer's rights) is negative. Each node must report every such account.
   *
   * @param finalReads per node name, what it reports for each account after healing
   */
  public static Result checkNoOverdraw(History history,
      Map<String, Map<String, AccountRead>> finalReads) {
    Set<String> checked = withoutForcedDebits(history);
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, Map<String, AccountRead>> node : finalReads.entrySet()) {
      for (String account : checked) {
        AccountRead read = node.getValue().get(account);
        if (read == null) {
          errors.add(node.getKey() + " has no final read of " + account);
          continue;
        }
        if (read.balance() < 0) {
          errors.add(node.getKey() + " reads " + account + " = " + read.balance()
              + ": overdrawn, though no forced debit touched it");
        }
        if (read.available() < 0) {
          errors.add(node.getKey() + " has " + read.available() + " available on " + account
              + ": its writer overdrew its rights");
        }
        for (Map.Entry<String, Long> writer : new TreeMap<>(read.rights()).entrySet()) {
          if (writer.getValue() < 0) {
            errors.add(node.getKey() + " shows writer " + writer.getKey() + " with rights "
                + writer.getValue() + " on " + account + ": a redemption overdrew");
          }
        }
      }
    }
    Map<String, Allowed> allowed = allowed(history);
    allowed.keySet().retainAll(checked);
    return new Result(errors.isEmpty(), errors, allowed);
  }
}
