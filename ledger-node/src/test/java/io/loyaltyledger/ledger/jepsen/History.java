package io.loyaltyledger.ledger.jepsen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every operation a test client invoked and how it ended, as Jepsen records a history. An
 * operation changes one account's balance by a signed delta if it took effect; whether it did is
 * known for {@link Outcome#OK} (yes) and {@link Outcome#FAILED} (no), and unknown for {@link
 * Outcome#UNKNOWN} (a timeout, a crash, a connection lost after the request was sent).
 */
public final class History {

  public enum Outcome { PENDING, OK, FAILED, UNKNOWN }

  /** One invocation. Completed once, by the thread that invoked it. */
  public static final class Op {
    private final long id;
    private final String kind;
    private final String account;
    private final long delta;
    private final String node;
    private final String ref;
    private volatile Outcome outcome = Outcome.PENDING;
    private volatile String detail = "";
    private volatile boolean resolved;

    private Op(long id, String kind, String account, long delta, String node, String ref) {
      this.id = id;
      this.kind = kind;
      this.account = account;
      this.delta = delta;
      this.node = node;
      this.ref = ref;
    }

    public void ok() {
      complete(Outcome.OK, "");
    }

    public void failed(String why) {
      complete(Outcome.FAILED, why);
    }

    public void unknown(String why) {
      complete(Outcome.UNKNOWN, why);
    }

    void complete(Outcome outcome, String detail) {
      if (this.outcome != Outcome.PENDING) {
        throw new IllegalStateException("op " + id + " completed twice");
      }
      this.detail = detail;
      this.outcome = outcome;
    }

    /**
     * Resolves an operation whose outcome was unknown by the answer to the same request sent
     * again with the same Idempotency-Key (the same operation, not a new one): {@code OK} when the
     * retry found it applied, or applied it then; {@code FAILED} when the retry was refused
     * without writing anything, so the first attempt did not apply either (its key would
     * otherwise hold its answer); {@code UNKNOWN} leaves it unknown.
     */
    public void resolve(Outcome outcome, String detail) {
      if (this.outcome != Outcome.UNKNOWN) {
        throw new IllegalStateException("op " + id + " is " + this.outcome + ", not unknown");
      }
      if (outcome == Outcome.PENDING) {
        throw new IllegalArgumentException("a retry ends");
      }
      this.detail = this.detail + "; retried: " + outcome + (detail.isEmpty() ? "" : " " + detail);
      this.outcome = outcome;
      if (outcome != Outcome.UNKNOWN) {
        resolved = true;
      }
    }

    /** Whether the outcome was unknown first, then resolved by a retry with the same key. */
    public boolean resolved() {
      return resolved;
    }

    public long id() {
      return id;
    }

    public String kind() {
      return kind;
    }

    public String account() {
      return account;
    }

    public long delta() {
      return delta;
    }

    public String node() {
      return node;
    }

    /** What the operation is about on its node (an order id), or "" when nothing. */
    public String ref() {
      return ref;
    }

    public Outcome outcome() {
      return outcome;
    }

    public String detail() {
      return detail;
    }

    @Override
    public String toString() {
      return kind + "#" + id + (ref.isEmpty() ? "" : "[" + ref + "]") + "(" + account + " " + (delta >= 0 ? "+" : "") + delta + " @" + node
          + ") " + outcome + (detail.isEmpty() ? "" : " " + detail);
    }
  }

  private final AtomicLong ids = new AtomicLong();
  private final List<Op> ops = new ArrayList<>();

  /** Records an invocation before it is sent. */
  public Op invoke(String kind, String account, long delta, String node) {
    return invoke(kind, account, delta, node, "");
  }

  /** Records an invocation about {@code ref} (an order id) before it is sent. */
  public Op invoke(String kind, String account, long delta, String node, String ref) {
    Op op = new Op(ids.incrementAndGet(), kind, account, delta, node, ref);
    synchronized (ops) {
      ops.add(op);
    }
    return op;
  }

  public List<Op> ops() {
    synchronized (ops) {
      return List.copyOf(ops);
    }
  }

  /** Operations per outcome (an operation still PENDING counts as such: a client hung). */
  public Map<Outcome, Integer> counts() {
    Map<Outcome, Integer> counts = new TreeMap<>();
    for (Op op : ops()) {
      counts.merge(op.outcome(), 1, Integer::sum);
    }
    return counts;
  }

  /** Operations per kind, then per outcome, e.g. {@code {order={OK=120}, redeem={OK=40, FAILED=9}}}. */
  public Map<String, Map<Outcome, Integer>> countsByKind() {
    Map<String, Map<Outcome, Integer>> counts = new TreeMap<>();
    for (Op op : ops()) {
      counts.computeIfAbsent(op.kind(), k -> new TreeMap<>()).merge(op.outcome(), 1, Integer::sum);
    }
    return counts;
  }

  /** How many operations ended unknown first, then were resolved by a retry with their key. */
  public long resolvedByRetry() {
    return ops().stream().filter(Op::resolved).count();
  }

  /** The operations whose outcome is unknown (or still pending), for a scenario's report. */
  public List<Op> unknown() {
    return ops().stream()
        .filter(op -> op.outcome() == Outcome.UNKNOWN || op.outcome() == Outcome.PENDING)
        .toList();
  }

  /** Failed operations per reason, e.g. {@code {409 insufficient_points=12, connection refused=3}}. */
  public Map<String, Integer> failures() {
    Map<String, Integer> counts = new TreeMap<>();
    for (Op op : ops()) {
      if (op.outcome() == Outcome.FAILED) {
        counts.merge(op.detail().split(";")[0], 1, Integer::sum);
      }
    }
    return counts;
  }
}
