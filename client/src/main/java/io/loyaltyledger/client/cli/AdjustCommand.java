package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.Adjustment;
import io.loyaltyledger.client.OutcomeUnknownException;
import io.loyaltyledger.client.Written;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "adjust",
    mixinStandardHelpOptions = true,
    description =
        "An administrative credit (POINTS > 0) or forced debit (POINTS < 0), on any node. Without --key the key is derived from account, points and reason: the same command run again is applied once. Give --key to post two alike adjustments.")
final class AdjustCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "ACCOUNT")
  String account;

  @Parameters(index = "1", paramLabel = "POINTS", description = "a whole number, negative for a debit")
  long points;

  @Option(names = "--reason", required = true, paramLabel = "TEXT")
  String reason;

  @Option(names = "--key", description = "idempotency key (default: derived, see above)")
  String key;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Written<Adjustment> adjusted;
    try {
      adjusted = common.client().adjust(account, points, reason, key);
    } catch (OutcomeUnknownException e) {
      return WriteReport.unknown(
          spec.commandLine().getErr(), e, common,
          List.of("adjust", account, Long.toString(points), "--reason", reason));
    }
    if (common.json) {
      Printer.json(out, OrderCommand.written(adjusted));
      return 0;
    }
    Adjustment a = adjusted.value();
    Printer.table(
        out,
        List.of(
            List.of("adjustment", a.adjustmentId()),
            List.of("account", a.accountId()),
            List.of("points", (a.points() > 0 ? "+" : "") + a.points()),
            List.of("reason", a.reason()),
            List.of("token", a.token()),
            List.of("outcome", WriteReport.fate(adjusted))));
    return 0;
  }
}
