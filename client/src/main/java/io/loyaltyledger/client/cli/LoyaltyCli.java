package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.LoyaltyException;
import io.loyaltyledger.client.NoNodeAvailableException;
import io.loyaltyledger.client.OutcomeUnknownException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code loyalty} command. Exit codes: 0 success, 1 a node answered with an error, 2 usage
 * error, 3 no node answered (for a write: either nothing was applied, or the outcome is unknown
 * and the exact command to finish it is printed).
 */
@Command(
    name = "loyalty",
    mixinStandardHelpOptions = true,
    version = "loyalty 0.1.0",
    description = "Balances, orders and adjustments of a Loyalty Ledger cluster.",
    subcommands = {
      BalanceCommand.class,
      OrderCommand.class,
      AdjustCommand.class,
      WatchCommand.class,
      ClusterCommand.class,
      BenchCommand.class
    },
    footer = {
      "",
      "Nodes: --nodes URL,URL, else $LOYALTY_NODES, else the local cluster (ports 8081-8083, 8091-8092).",
      "Exit codes: 0 ok, 1 error answer, 2 usage error, 3 no node answered."
    })
public final class LoyaltyCli implements Runnable {

  public static final int ERROR_ANSWER = 1;
  public static final int USAGE = 2;
  public static final int NO_NODE = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  public static void main(String[] args) {
    System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
  }

  /** The command line with its output streams and the mapping of failures to exit codes. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new LoyaltyCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter errors = commandLine.getErr();
          if (e instanceof OutcomeUnknownException unknown) {
            errors.println("error: outcome_unknown: " + unknown.getMessage());
            return NO_NODE;
          }
          if (e instanceof NoNodeAvailableException none) {
            errors.println("error: no_node_available: " + none.getMessage());
            return NO_NODE;
          }
          if (e instanceof LoyaltyException answer) {
            errors.println(
                "error: " + answer.errorCode() + ": " + answer.getMessage()
                    + (answer.node() == null ? "" : " (from " + answer.node() + ")"));
            return ERROR_ANSWER;
          }
          if (e instanceof IllegalArgumentException bad) {
            errors.println("error: " + bad.getMessage());
            commandLine.usage(errors);
            return USAGE;
          }
          throw e;
        });
    return cli;
  }
}
