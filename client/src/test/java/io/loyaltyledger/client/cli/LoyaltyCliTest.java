package io.loyaltyledger.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyaltyledger.client.AnswerDroppingProxy;
import io.loyaltyledger.client.SharedRealNodes;
import io.loyaltyledger.client.SilentServer;
import io.loyaltyledger.ledger.node.TestTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI in-process against real nodes: its output and exit codes. It reads the write token
 * from a file ({@code --token-file}); a few runs are processes of their own, to show where else
 * it finds a token ({@code $LOYALTY_TOKEN}, the project's {@code var/token}).
 */
class LoyaltyCliTest {

  @TempDir static Path dir;
  @RegisterExtension static final SharedRealNodes nodes = new SharedRealNodes();
  static Path writeTokenFile;
  static Path readTokenFile;

  @BeforeAll
  static void writeTokenFiles() throws Exception {
    writeTokenFile = Files.writeString(dir.resolve("write-token"), TestTokens.WRITE + "\n");
    readTokenFile = Files.writeString(dir.resolve("read-token"), TestTokens.READ);
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

  /** The command on these nodes, with the test nodes' write token. */
  static Run onNodes(String nodeList, String... args) {
    return withToken(writeTokenFile, nodeList, args);
  }

  static Run withToken(Path tokenFile, String nodeList, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--nodes");
    all.add(nodeList);
    all.add("--token-file");
    all.add(tokenFile.toString());
    return run(all.toArray(String[]::new));
  }

  /**
   * The CLI as a process of its own, as bin/loyalty runs it: {@code env} is all the LOYALTY_*
   * environment it gets, {@code home} the project it looks for var/token in.
   */
  static Run inProcess(Map<String, String> env, Path home, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // bin/loyalty's flags for a short-lived process
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
        "-Dloyalty.home=" + home,
        "-cp", System.getProperty("java.class.path"),
        LoyaltyCli.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "cli", ".out");
    Path err = Files.createTempFile(dir, "cli", ".err");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("LOYALTY_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the CLI did not finish: " + command);
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
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
      assertThat(printed).contains("--order-id o-", "--key order:o-", "--nodes " + nodeList,
          "--token-file " + writeTokenFile);

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

  @Test
  void theCliTakesItsTokenFromLoyaltyTokenInTheEnvironment() throws Exception {
    Path emptyProject = Files.createTempDirectory(dir, "project");
    Run adjusted = inProcess(Map.of("LOYALTY_TOKEN", TestTokens.WRITE), emptyProject,
        "adjust", "cli-env", "7", "--reason", "from the environment", "--nodes", nodes.ledgerUrl());
    assertThat(adjusted.exit()).as(adjusted.err()).isZero();
    assertThat(adjusted.out()).containsPattern("points\\s+\\+7");
  }

  @Test
  void theCliTakesItsTokenFromVarTokenOfTheProject() throws Exception {
    Path project = Files.createTempDirectory(dir, "project");
    Files.createDirectories(project.resolve("var"));
    Files.writeString(project.resolve("var/token"), TestTokens.WRITE + "\n");
    Run adjusted = inProcess(Map.of(), project,
        "adjust", "cli-home", "8", "--reason", "from var/token", "--nodes", nodes.ledgerUrl());
    assertThat(adjusted.exit()).as(adjusted.err()).isZero();
  }

  @Test
  void withoutATokenAWriteIsRefusedAndTheCliSaysWhereTokensComeFrom() throws Exception {
    Path emptyProject = Files.createTempDirectory(dir, "project");
    Run refused = inProcess(Map.of(), emptyProject,
        "adjust", "cli-none", "5", "--reason", "no token", "--nodes", nodes.ledgerUrl());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("error: unauthorized", "--token-file", "LOYALTY_TOKEN", "var/token");
    Run balance = onNodes(nodes.ledgerUrl(), "balance", "cli-none", "--json");
    assertThat(balance.json().get("balance").asLong()).isZero();
  }

  @Test
  void aReadTokenReadsButCannotWrite() throws Exception {
    Run read = withToken(readTokenFile, nodes.ledgerUrl(), "balance", "cli-reader");
    assertThat(read.exit()).as(read.err()).isZero();
    Run write = withToken(readTokenFile, nodes.ledgerUrl(), "adjust", "cli-reader", "5", "--reason", "x");
    assertThat(write.exit()).isEqualTo(1);
    assertThat(write.err()).contains("error: forbidden");
  }

  @Test
  void aTokenFileThatCannotBeReadIsAUsageError() {
    Run missing = withToken(dir.resolve("no-such-file"), nodes.ledgerUrl(), "balance", "x");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the token file");
  }
}
