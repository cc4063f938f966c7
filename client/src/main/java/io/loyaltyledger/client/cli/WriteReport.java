package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.OutcomeUnknownException;
import io.loyaltyledger.client.Written;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What a write command tells the user about the write's fate, and how to finish an unknown one. */
final class WriteReport {

  private WriteReport() {}

  /** One line saying whether this run applied the write or found it applied before. */
  static String fate(Written<?> written) {
    return written.replayed()
        ? "already applied by an earlier attempt (key " + written.idempotencyKey()
            + " replayed by " + written.node() + "): nothing applied twice"
        : "applied now by " + written.node() + " (key " + written.idempotencyKey() + ")";
  }

  /** Prints the unknown outcome and the exact command that finishes the write; exit code 3. */
  static int unknown(
      PrintWriter err, OutcomeUnknownException e, CommonOptions common, List<String> command) {
    List<String> retry = new ArrayList<>(command);
    retry.add("--key");
    retry.add(e.idempotencyKey());
    if (common.explicitNodes() != null) {
      retry.add("--nodes");
      retry.add(common.explicitNodes());
    }
    if (common.explicitTokenFile() != null) {
      retry.add("--token-file");
      retry.add(common.explicitTokenFile().toString());
    }
    err.println("error: outcome_unknown: " + e.getMessage());
    err.println("It may or may not have been applied. Run exactly this once the node is back;");
    err.println("it is applied at most once, and says whether it was applied before:");
    err.println("  bin/loyalty " + retry.stream().map(Printer::quote).collect(Collectors.joining(" ")));
    err.flush();
    return LoyaltyCli.NO_NODE;
  }
}
