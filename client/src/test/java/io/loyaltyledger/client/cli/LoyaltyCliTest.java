package io.loyaltyledger.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyaltyledger.client.AnswerDroppingProxy;
import io.loyaltyledger.client.RealNodes;
import io.loyaltyledger.client.SilentServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process against real nodes: its output and exit codes. */
class LoyaltyCliTest {

  @TempDir static Path dir;
  static RealNodes nodes;

  @BeforeAll
  static void startNodes() {
    nodes = RealNodes.start(dir);
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = LoyaltyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Run onNodes(String nodeList, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--nodes");
    all.add(nodeList);
    return run(all.toArray(String[]::new));
  }

  static String both() {
    return nodes.ledgerUrl() + "," + nodes.orderUrl();
  }

  @Test
  void anOrderPlacedWithTheCliIsReadWithItsTokenOnAnotherNodeAtOnce() throws Exception {
    Run placed = onNodes(both(), "order", "place", "--account", "cli-alice", "--amount", "59.90");
    assertThat(placed.exit()).as(placed.err()).isZero();
    assertThat(placed.out()).contains("(generated)", "PLACED", "+59", "applied now by " + nodes.orderUrl());
    Matcher token = Pattern.compile("--after (\\S+)").matcher(placed.out());
    assertThat(token.find()).isTrue();

    Run balance = onNodes(nodes.ledgerUrl(), "balance", "cli-alice", "--after", token.group(1));
    assertThat(balance.exit()).as(balance.err()).isZero();
    assertThat(balance.out()).containsPattern("balance\\s+59");

    Run json = onNodes(nodes.ledgerUrl(), "balance", "cli-alice", "--after", token.group(1), "--json");
    assertThat(json.json().get("balance").asLong()).isEqualTo(59);
  }

  @Test
  void runningTheSamePlaceCommandAgainSaysItWasAppliedBefore() throws Exception {
    String[] command = {"order", "place", "--account", "cli-bo", "--amount", "12.00", "--order-id", "cli-o-2", "--json"};
    Run first = onNodes(both(), command);
    Run again = onNodes(both(), command);
    assertThat(first.json().get("replayed").asBoolean()).isFalse();
    assertThat(again.json().get("replayed").asBoolean()).isTrue();
    assertThat(again.json().get("idempotencyKey").asText()).isEqualTo("order:cli-o-2");

    Run human = onNodes(both(), "order", "place", "--account", "cli-bo", "--amount", "12.00", "--order-id", "cli-o-2");
    assertThat(human.out()).contains("already applied by an earlier attempt", "nothing applied twice");

    Run shown = onNodes(both(), "order", "show", "cli-o-2");
    assertThat(shown.out()).containsPattern("status\\s+PLACED");
    Run cancelled = onNodes(both(), "order", "cancel", "cli-o-2");
    assertThat(cancelled.exit()).as(cancelled.err()).isZero();
    assertThat(cancelled.out()).containsPattern("points\\s+-12");
    assertThat(onNodes(both(), "order", "show", "cli-o-2").out()).containsPattern("status\\s+CANCELLED");
  }

  @Test
  void adjustWatchAndCluster() throws Exception {
    Run adjusted = onNodes(both(), "adjust", "cli-cy", "100", "--reason", "welcome bonus");
    assertThat(adjusted.exit()).as(adjusted.err()).isZero();
    assertThat(adjusted.out()).containsPattern("points\\s+\\+100");
    Run debit = onNodes(both(), "adjust", "cli-cy", "-30", "--reason", "correction", "--json");
    assertThat(debit.exit()).as(debit.err()).isZero();
    assertThat(debit.json().get("result").get("points").asLong()).isEqualTo(-30);
    String token = debit.json().get("result").get("token").asText();
    // both nodes hold the debit before the watch starts, so they converge on 70
    assertThat(onNodes(nodes.ledgerUrl(), "balance", "cli-cy", "--after", token).exit()).isZero();
    assertThat(onNodes(nodes.orderUrl(), "balance", "cli-cy", "--after", token).exit()).isZero();

    Run watch = onNodes(both(), "watch", "cli-cy", "--until-converged", "--interval", "100", "--max-wait", "20");
    assertThat(watch.exit()).as(watch.out() + watch.err()).isZero();
    assertThat(watch.out()).contains("CONVERGED <- all agree");
    assertThat(watch.out().lines().reduce((a, b) -> b).orElseThrow()).containsPattern("70\\s+70");

    Run cluster = onNodes(both(), "cluster");
    assertThat(cluster.exit()).as(cluster.err()).isZero();
    assertThat(cluster.out()).contains("Up", "ledger-1", "order-1", "order", "MAJORITY", "BACKLOG");
    // both nodes ready and reaching the (single) ledger node: no one is cut off
    assertThat(cluster.out()).containsPattern("ledger-1\\s+ledger\\s+yes\\s+yes\\s+\\d+\\.\\d s")
        .containsPattern("order-1\\s+order\\s+yes\\s+yes\\s+\\d+\\.\\d s");
    assertThat(onNodes(both(), "cluster", "--json").json().get("cluster").get("members")).hasSize(2);
  }

  @Test
  void anErrorAnswerExitsWith1AndItsCode() {
    Run bad = onNodes(both(), "order", "place", "--account", "cli-di", "--amount", "ten");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("error: invalid_amount");
    Run missing = onNodes(both(), "order", "show", "no-such-order");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("order_not_found");
  }

  @Test
  void anOrderRedeemsPointsAndNotEnoughPointsExitsWith1() throws Exception {
    Run earned = onNodes(both(), "order", "place", "--account", "cli-ed", "--amount", "40.00");
    assertThat(earned.exit()).as(earned.err()).isZero();
    Run redeemed = onNodes(both(), "order", "place", "--account", "cli-ed", "--amount", "0.50",
        "--redeem", "30");
    assertThat(redeemed.exit()).as(redeemed.err()).isZero();
    assertThat(redeemed.out()).contains("redeemed -30");
    Run refused = onNodes(both(), "order", "place", "--account", "cli-ed", "--amount", "0.50",
        "--redeem", "30");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("insufficient_points");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("order", "place", "--amount", "1.00").exit()).isEqualTo(2);
    Run badLevel = onNodes(both(), "balance", "x", "--consistency", "most");
    assertThat(badLevel.exit()).isEqualTo(2);
    assertThat(badLevel.err()).contains("--consistency");
    assertThat(run("frobnicate").exit()).isEqualTo(2);
    assertThat(run("order", "place", "--account", "a", "--amount", "1.00", "--key", "k").exit()).isEqualTo(2);
    assertThat(run().exit()).isEqualTo(2);
    Run help = run("watch", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--until-converged");
  }

  @Test
  void noNodeAnsweringExitsWith3() {
    Run none = onNodes(SilentServer.refusingUrl(), "balance", "x");
    assertThat(none.exit()).isEqualTo(3);
    assertThat(none.err()).contains("no_node_available");
  }

  @Test
  void anOrderWhoseAnswerWasLostIsFinishedByThePrintedCommandAndCountedOnce() throws Exception {
    try (AnswerDroppingProxy proxy = new AnswerDroppingProxy(nodes.orderPort())) {
      String nodeList = nodes.ledgerUrl() + "," + proxy.url();
      // the order node commits the order, but its answers are lost on the way back
      proxy.dropAnswersToPosts(true);
      Run lost = onNodes(nodeList, "order", "place", "--account", "cli-ivy", "--amount", "33.00",
          "--timeout", "0.5", "--deadline", "1.5");
      assertThat(lost.exit()).isEqualTo(3);
      assertThat(lost.err()).contains("error: outcome_unknown", "may or may not have been applied");
      String printed = lost.err().lines().filter(l -> l.startsWith("  bin/loyalty ")).findFirst().orElseThrow();
      assertThat(printed).contains("--order-id o-", "--key order:o-", "--nodes " + nodeList);

      // the node is back: the printed command finishes it, and says it had been applied before
      proxy.dropAnswersToPosts(false);
      Run finished = run(printed.strip().substring("bin/loyalty ".length()).split(" "));
      assertThat(finished.exit()).as(finished.err()).isZero();
      assertThat(finished.out()).contains("already applied by an earlier attempt", "nothing applied twice");
      String token = finished.out().lines().filter(l -> l.startsWith("token")).findFirst().orElseThrow()
          .replaceFirst("token\\s+", "");
      Run balance = onNodes(nodes.ledgerUrl(), "balance", "cli-ivy", "--after", token, "--json");
      assertThat(balance.json().get("balance").asLong()).isEqualTo(33);
    }
  }

  @Test
  void anUnknownOutcomePrintsTheExactCommandThatFinishesIt() throws Exception {
    try (SilentServer hung = new SilentServer()) {
      Run unknown =
          onNodes(hung.url(), "adjust", "cli-eve", "5", "--reason", "lost answer", "--timeout", "0.3", "--deadline", "1");
      assertThat(unknown.exit()).isEqualTo(3);
      assertThat(unknown.err()).contains("error: outcome_unknown", "may or may not have been applied");
      assertThat(unknown.err())
          .contains("bin/loyalty adjust cli-eve 5 --reason 'lost answer' --key adjust:cli-eve:5:")
          .contains("--nodes " + hung.url());
    }
  }
}
