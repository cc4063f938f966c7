package io.loyaltyledger.ledger.jepsen;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.writer.StoredRow;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * For writers in this JVM: whether each one's database row of each account equals the row the
   * replica shows for it (credited, debited, version). A difference tells a publishing fault (the
   * database holds a commit that no replica got) from a wrong commit (both agree, the history
   * does not).
   */
  public static void compareWithDatabases(List<LedgerNode> writers, Iterable<String> accounts,
      ApiClient node) {
    // Above 1: the node was downed and rejoined, so a late transfer reply could have reached a
    // reused temporary actor of its new incarnation (docs/fault-tests.md, "An open finding").
    for (LedgerNode writer : writers) {
      System.out.println("diagnosis " + writer.database().writerKey().value()
          + ": cluster incarnation " + writer.clusterIncarnation());
    }
    for (String account : accounts) {
      JsonNode view = node.get("/v1/accounts/" + account).json().path("writers");
      for (LedgerNode writer : writers) {
        String key = writer.database().writerKey().value();
        Optional<StoredRow> row = writer.rows().row(account);
        JsonNode seen = view.path(key);
        String db = row.map(r -> r.credited() + "/" + r.debited() + " v" + r.version())
            .orElse("none");
        String replica = seen.isMissingNode() ? "none"
            : seen.path("credited").asLong() + "/" + seen.path("debited").asLong() + " v"
                + seen.path("version").asLong();
        System.out.println("diagnosis " + account + " " + key + ": database " + db + ", replica "
            + replica + (db.equals(replica) ? "" : "  <-- differs"));
      }
    }
  }
}
