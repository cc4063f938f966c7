package io.loyaltyledger.ledger.jepsen;

import io.loyaltyledger.ledger.node.ApiClient;
import java.util.Map;
import java.util.TreeMap;

/** What a scenario prints when its checker fails: enough to tell which writer is off. */
public final class Diagnosis {

  private Diagnosis() {}

  /**
   * For each account: the net delta acknowledged through each node (and what ended failed or
   * unknown there), a node's view of the account (each writer's credited and debited), and every
   * operation on it.
   */
  public static void explain(History history, Iterable<String> accounts, ApiClient node) {
    for (String account : accounts) {
      Map<String, Long> ok = new TreeMap<>();
      Map<String, Long> notOk = new TreeMap<>();
      for (History.Op op : history.ops()) {
        if (op.account().equals(account)) {
          (op.outcome() == History.Outcome.OK ? ok : notOk)
              .merge(op.node() + " " + op.kind() + " " + op.outcome(), op.delta(), Long::sum);
        }
      }
      System.out.println("diagnosis " + account + ": acknowledged net per node and kind " + ok
          + "; not acknowledged " + notOk);
      System.out.println("diagnosis " + account + ": " + node.get("/v1/accounts/" + account).body());
      for (History.Op op : history.ops()) {
        if (op.account().equals(account)) {
          System.out.println("  " + op);
        }
      }
    }
  }
}
