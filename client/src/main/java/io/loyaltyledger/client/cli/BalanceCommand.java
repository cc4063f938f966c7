package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.Balance;
import io.loyaltyledger.client.Consistency;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "balance",
    mixinStandardHelpOptions = true,
    description = "An account's balance; fails over to the next node when one does not answer.")
final class BalanceCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(paramLabel = "ACCOUNT", description = "the account id")
  String account;

  @Option(
      names = "--consistency",
      defaultValue = "local",
      description = "local (this node's replica), majority or all (default: ${DEFAULT-VALUE})")
  Consistency consistency;

  @Option(
      names = "--after",
      paramLabel = "TOKEN",
      description = "wait until the write that returned TOKEN is visible (read your writes)")
  String after;

  @Override
  public Integer call() {
    Balance balance = common.client().balance(account, consistency, after);
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      Printer.json(out, balance);
      return 0;
    }
    print(out, balance);
    return 0;
  }

  static void print(PrintWriter out, Balance b) {
    Printer.table(
        out,
        List.of(
            List.of("account", b.accountId()),
            List.of("balance", Long.toString(b.balance())),
            List.of("earned", Long.toString(b.earned())),
            List.of("spent", Long.toString(b.spent())),
            List.of("node", b.node() + " (" + b.consistency() + ")")));
    if (!b.writers().isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("WRITER", "CREDITED", "DEBITED", "VERSION"));
      for (Map.Entry<String, Balance.WriterRow> w : b.writers().entrySet()) {
        rows.add(
            List.of(
                w.getKey(),
                Long.toString(w.getValue().credited()),
                Long.toString(w.getValue().debited()),
                Long.toString(w.getValue().version())));
      }
      out.println();
      Printer.table(out, rows);
    }
  }
}
