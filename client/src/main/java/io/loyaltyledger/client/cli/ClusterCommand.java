package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.ClusterView;
import io.loyaltyledger.client.LoyaltyClient;
import io.loyaltyledger.client.NodeEndpoint;
import io.loyaltyledger.client.NodeInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "The cluster's members, roles and reachability, and what each listed node says about itself.")
final class ClusterCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    LoyaltyClient client = common.client();
    ClusterView cluster = client.cluster();
    Map<NodeEndpoint, Optional<NodeInfo>> infos = client.nodeInfos();
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("cluster", cluster);
      Map<String, Object> nodes = new LinkedHashMap<>();
      infos.forEach((node, info) -> nodes.put(node.toString(), info.orElse(null)));
      json.put("nodes", nodes);
      Printer.json(out, json);
      return 0;
    }
    List<List<String>> members = new ArrayList<>();
    members.add(List.of("MEMBER", "STATUS", "ROLES", "REACHABLE", "LEADER"));
    for (ClusterView.Member m : cluster.members()) {
      members.add(
          List.of(
              m.address(),
              m.status(),
              String.join(",", new java.util.TreeSet<>(m.roles())),
              m.reachable() ? "yes" : "NO",
              m.address().equals(cluster.leader()) ? "leader" : ""));
    }
    Printer.table(out, members);
    out.println();
    List<List<String>> nodes = new ArrayList<>();
    // MAJORITY "NO": the node is cut off from most ledger nodes; it still takes writes, and its
    // BACKLOG (unpublished commits, in seconds) grows until the cluster is back.
    nodes.add(List.of("NODE URL", "NAME", "ROLE", "READY", "MAJORITY", "BACKLOG", "IDEMPOTENCY SCOPE"));
    infos.forEach(
        (node, info) ->
            nodes.add(
                info.map(i -> List.of(node.toString(), i.name(), i.role(), i.ready() ? "yes" : "no",
                        i.majorityReachable() == null ? "?" : i.majorityReachable() ? "yes" : "NO",
                        i.publishBacklogSeconds() == null
                            ? "?" : String.format(java.util.Locale.ROOT, "%.1f s", i.publishBacklogSeconds()),
                        String.valueOf(i.idempotencyScope())))
                    .orElse(List.of(node.toString(), "-", "-", "down", "-", "-", "-"))));
    Printer.table(out, nodes);
    return 0;
  }
}
