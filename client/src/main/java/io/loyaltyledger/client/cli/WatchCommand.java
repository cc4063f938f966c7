package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.LoyaltyClient;
import io.loyaltyledger.client.NodeBalance;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "The balance on every node side by side, one line per refresh, until Ctrl-C. 'converged' means every node that answers shows the same balance and the same rows; the moment they come to agree is marked.")
final class WatchCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(paramLabel = "ACCOUNT")
  String account;

  @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "1000", description = "refresh period (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--until-converged", description = "stop (exit 0) once every answering node agrees")
  boolean untilConverged;

  @Option(names = "--max-wait", paramLabel = "SECONDS", description = "with --until-converged: give up (exit 1) after this long")
  Double maxWaitSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (intervalMillis < 10) {
      throw new IllegalArgumentException("--interval must be at least 10 ms");
    }
    LoyaltyClient client = common.client();
    PrintWriter out = spec.commandLine().getOut();
    long giveUpAt = maxWaitSeconds == null ? Long.MAX_VALUE
        : System.nanoTime() + (long) (maxWaitSeconds * 1e9);
    boolean wasConverged = false;
    boolean headerPrinted = false;
    while (true) {
      List<NodeBalance> views = client.balanceOnEveryNode(account);
      boolean converged = converged(views);
      if (common.json) {
        Printer.jsonLine(out, line(views, converged));
      } else {
        if (!headerPrinted) {
          printRow(out, "TIME", views.stream().map(v -> v.node().base().getAuthority()).toList(), "STATE");
          headerPrinted = true;
        }
        List<String> cells = new ArrayList<>();
        for (NodeBalance v : views) {
          cells.add(v.answered() ? Long.toString(v.balance().balance()) : v.failure());
        }
        String state = !converged ? "differs" : wasConverged ? "converged" : "CONVERGED <- all agree";
        printRow(out, LocalTime.now().format(TIME), cells, state);
      }
      if (views.stream().noneMatch(NodeBalance::answered) && untilConverged && System.nanoTime() > giveUpAt) {
        spec.commandLine().getErr().println("error: no_node_available: no node answered");
        return LoyaltyCli.NO_NODE;
      }
      if (converged && untilConverged) {
        return 0;
      }
      if (untilConverged && System.nanoTime() > giveUpAt) {
        spec.commandLine().getErr().println("error: not_converged: the nodes did not agree within --max-wait");
        return LoyaltyCli.ERROR_ANSWER;
      }
      wasConverged = converged;
      Thread.sleep(intervalMillis);
    }
  }

  /** Every node that answered shows the same balance and the same writer rows. */
  static boolean converged(List<NodeBalance> views) {
    List<NodeBalance> answered = views.stream().filter(NodeBalance::answered).toList();
    if (answered.isEmpty()) {
      return false;
    }
    NodeBalance first = answered.get(0);
    return answered.stream()
        .allMatch(v -> v.balance().balance() == first.balance().balance()
            && v.balance().writers().equals(first.balance().writers()));
  }

  private static void printRow(PrintWriter out, String time, List<String> cells, String state) {
    StringBuilder line = new StringBuilder(String.format("%-12s", time));
    for (String cell : cells) {
      line.append(String.format("  %15s", cell));
    }
    line.append("  ").append(state);
    out.println(line);
    out.flush();
  }

  private static Map<String, Object> line(List<NodeBalance> views, boolean converged) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("time", java.time.Instant.now().toString());
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (NodeBalance v : views) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("node", v.node().toString());
      node.put("balance", v.answered() ? v.balance().balance() : null);
      node.put("error", v.failure());
      nodes.add(node);
    }
    json.put("nodes", nodes);
    json.put("converged", converged);
    return json;
  }
}
