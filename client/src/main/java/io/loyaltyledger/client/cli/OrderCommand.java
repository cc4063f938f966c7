package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.Cancellation;
import io.loyaltyledger.client.Order;
import io.loyaltyledger.client.OutcomeUnknownException;
import io.loyaltyledger.client.Written;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "order",
    mixinStandardHelpOptions = true,
    description = "Place, cancel and show orders (on order nodes).",
    subcommands = {OrderCommand.Place.class, OrderCommand.Cancel.class, OrderCommand.Show.class})
final class OrderCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "order needs place, cancel or show");
  }

  @Command(
      name = "place",
      mixinStandardHelpOptions = true,
      description =
        "Places an order. Without --order-id an id is generated and printed; the idempotency key is order:<orderId>, so running the same command with the same --order-id again is safe.")
  static final class Place implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Option(names = "--account", required = true, description = "the account that earns the points")
    String account;

    @Option(names = "--amount", required = true, description = "e.g. 59.90")
    String amount;

    @Option(names = "--currency", defaultValue = "EUR", description = "default: ${DEFAULT-VALUE}")
    String currency;

    @Option(names = "--redeem", paramLabel = "POINTS", defaultValue = "0",
        description = "points to redeem with the order (default: none)")
    long redeem;

    @Option(names = "--order-id", paramLabel = "ID", description = "default: a new id")
    String orderId;

    @Option(names = "--key", description = "idempotency key, with --order-id (default: order:<orderId>)")
    String key;

    @Override
    public Integer call() {
      boolean generated = orderId == null;
      if (generated && key != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--key needs --order-id: a key belongs to one order");
      }
      PrintWriter out = spec.commandLine().getOut();
      Written<Order> placed;
      try {
        placed = generated
            ? common.client().placeNewOrder(account, amount, currency, redeem)
            : common.client().placeOrder(orderId, account, amount, currency, redeem, key);
      } catch (OutcomeUnknownException e) {
        // the key of a generated order is order:<the new id>: the retry names that id
        String id = generated ? e.idempotencyKey().substring("order:".length()) : orderId;
        return WriteReport.unknown(
            spec.commandLine().getErr(),
            e,
            common,
            redeem == 0
                ? List.of("order", "place", "--account", account, "--amount", amount,
                    "--currency", currency, "--order-id", id)
                : List.of("order", "place", "--account", account, "--amount", amount,
                    "--currency", currency, "--redeem", String.valueOf(redeem), "--order-id", id));
      }
      if (common.json) {
        Printer.json(out, written(placed));
        return 0;
      }
      Order o = placed.value();
      Printer.table(
          out,
          List.of(
              List.of("order", o.orderId() + (generated ? " (generated)" : "")),
              List.of("status", o.status()),
              List.of("account", o.accountId()),
              List.of("amount", o.amount() + " " + o.currency()),
              List.of("points", "+" + o.pointsEarned()
                  + (o.pointsRedeemed() > 0 ? ", redeemed -" + o.pointsRedeemed() : "")),
              List.of("token", String.valueOf(o.token())),
              List.of("outcome", WriteReport.fate(placed))));
      if (o.token() != null) {
        out.println();
        out.println("Read it on any node: bin/loyalty balance " + Printer.quote(o.accountId())
            + " --after " + o.token());
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description =
        "Cancels an order on the order node that holds it (found by asking each order node). The idempotency key is cancel:<orderId>: cancelling again changes nothing.")
  static final class Cancel implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "ORDER_ID")
    String orderId;

    @Option(names = "--key", description = "idempotency key (default: cancel:<orderId>)")
    String key;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Written<Cancellation> cancelled;
      try {
        cancelled = common.client().cancelOrder(orderId, key);
      } catch (OutcomeUnknownException e) {
        return WriteReport.unknown(spec.commandLine().getErr(), e, common, List.of("order", "cancel", orderId));
      }
      if (common.json) {
        Printer.json(out, written(cancelled));
        return 0;
      }
      Cancellation c = cancelled.value();
      Printer.table(
          out,
          List.of(
              List.of("order", c.orderId()),
              List.of("status", c.status()),
              List.of("account", c.accountId()),
              List.of("points", "-" + c.pointsReversed()),
              List.of("token", String.valueOf(c.token())),
              List.of("outcome", WriteReport.fate(cancelled))));
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows an order as its order node stores it.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "ORDER_ID")
    String orderId;

    @Override
    public Integer call() {
      Order o = common.client().order(orderId);
      PrintWriter out = spec.commandLine().getOut();
      if (common.json) {
        Printer.json(out, o);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("order", o.orderId()));
      rows.add(List.of("status", o.status()));
      rows.add(List.of("account", o.accountId()));
      rows.add(List.of("amount", o.amount() + " " + o.currency()));
      rows.add(List.of("points", "+" + o.pointsEarned()));
      rows.add(List.of("token", String.valueOf(o.token())));
      rows.add(List.of("placed", String.valueOf(o.placedAt())));
      if (o.cancelledAt() != null) {
        rows.add(List.of("reversed", "-" + o.pointsReversed()));
        rows.add(List.of("cancelToken", String.valueOf(o.cancelToken())));
        rows.add(List.of("cancelled", o.cancelledAt()));
      }
      Printer.table(out, rows);
      return 0;
    }
  }

  /** The JSON of a write: its answer plus where and how it was applied. */
  static Map<String, Object> written(Written<?> w) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("result", w.value());
    json.put("node", w.node().toString());
    json.put("idempotencyKey", w.idempotencyKey());
    json.put("replayed", w.replayed());
    return json;
  }
}
