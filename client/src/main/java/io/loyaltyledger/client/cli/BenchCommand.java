package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.bench.BenchPlan;
import io.loyaltyledger.client.bench.BenchRunner;
import io.loyaltyledger.client.bench.Budget;
import io.loyaltyledger.client.bench.ClusterTarget;
import io.loyaltyledger.client.bench.DurationText;
import io.loyaltyledger.client.bench.LagSampler;
import io.loyaltyledger.client.bench.Mix;
import io.loyaltyledger.client.bench.Pacing;
import io.loyaltyledger.client.bench.ProgressTicker;
import io.loyaltyledger.client.bench.Report;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Load benchmark: throughput, latency, errors and convergence lag under a mix of operations.",
      "",
      "Drives the cluster with a mix of orders, cancellations, redemptions and balance reads, at a"
          + " target rate (--rate) or flat out, then reports per operation the throughput and the"
          + " latency percentiles, the errors by code, and the convergence lag: the time from an"
          + " acknowledged write until every node shows it (measured for a sample of the writes"
          + " by reading it with its token on every node).",
      "Orders and redemptions go to the order nodes, a cancellation (of an order this run placed)"
          + " to the order node that holds it, reads to the ledger nodes. Progress is drawn on"
          + " stderr when it is a terminal; the report goes to stdout.",
      "Exit codes: 0 it ran (even with errors: they are in the report), 2 usage error, 3 no node"
          + " (or, for a mix that writes, no order node) answered at the start."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--duration", paramLabel = "TIME",
      description = "how long to run, e.g. 30s, 2m, 500ms (default: 30s unless --operations)")
  String duration;

  @Option(names = "--operations", paramLabel = "N", description = "run N operations instead of --duration")
  Long operations;

  @Option(names = "--warmup", paramLabel = "TIME",
      description = "first run the same load for TIME in this process, untimed and left out of the"
          + " report (the JIT of the client and of the nodes, the connections); stderr says"
          + " 'bench: measuring' when the measured run starts (default: no warm-up)")
  String warmup;

  @Option(names = "--rate", paramLabel = "OPS", defaultValue = "0",
      description = "target operations per second, open loop: each operation is due at its scheduled"
          + " time and its latency counts from then (no coordinated omission); 0: flat out, closed"
          + " loop (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--concurrency", paramLabel = "C",
      description = "operations in flight at most (workers); default: 8 flat out, 64 with --rate")
  Integer concurrency;

  @Option(names = "--mix", paramLabel = "OP=W,...", defaultValue = Mix.DEFAULT,
      description = "weights (percentages or any scale) of orders, cancellations, redemptions, reads"
          + " (default: ${DEFAULT-VALUE})")
  String mix;

  @Option(names = "--accounts", paramLabel = "N", defaultValue = "1000",
      description = "accounts the run uses (default: ${DEFAULT-VALUE})")
  int accounts;

  @Option(names = "--account-prefix", paramLabel = "PREFIX",
      description = "account ids are PREFIX0 .. PREFIX<N-1> (default: bench-<random>-, new accounts each run)")
  String accountPrefix;

  @Option(names = "--redeem-points", paramLabel = "P", defaultValue = "10",
      description = "points one redemption spends, with an order of 1.00 (default: ${DEFAULT-VALUE})")
  long redeemPoints;

  @Option(names = "--lag-sample", paramLabel = "F|N", defaultValue = "0.05",
      description = "writes whose convergence lag is measured: a fraction (0.05 = 5%%), or N: every"
          + " N-th write; 0: none (default: ${DEFAULT-VALUE})")
  String lagSample;

  @Option(names = "--lag-timeout", paramLabel = "TIME", defaultValue = "10s",
      description = "a probe gives up (not converged) this long after the acknowledgement (default: ${DEFAULT-VALUE})")
  String lagTimeout;

  @Option(names = "--lag-in-flight", paramLabel = "K", defaultValue = "16",
      description = "lag probes at once at most; writes sampled beyond are skipped (default: ${DEFAULT-VALUE})")
  int lagInFlight;

  @Option(names = "--seed", paramLabel = "S", description = "seed of the random draws (default: random)")
  Long seed;

  @Option(names = "--progress", negatable = true,
      description = "draw progress on stderr (default: when stderr is a terminal)")
  Boolean progress;

  @Override
  public Integer call() throws InterruptedException {
    BenchPlan plan = plan();
    Duration warmUp = warmUp();
    ClusterTarget target = ClusterTarget.connect(common.client(), plan.mix());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("run", plan.budget().describe() + ", " + plan.pacing().describe()
        + ", concurrency " + plan.concurrency());
    settings.put("mix", plan.mix().describe());
    settings.put("accounts", plan.accounts() + ": " + plan.accountPrefix() + "0 .. "
        + plan.accountPrefix() + (plan.accounts() - 1));
    settings.put("nodes", target.describe());
    settings.put("lag sampled", plan.lagSampler().never() ? "none"
        : plan.lagSampler().describe() + " (at most " + plan.lagInFlight() + " probes at once,"
            + " bound " + DurationText.format(plan.lagBound()) + ")");
    settings.put("seed", Long.toString(plan.seed()));
    if (warmUp != null) {
      settings.put("warm-up",
          DurationText.format(warmUp) + " of the same load before the run, not in this report");
    }

    BenchRunner runner = new BenchRunner(plan, target);
    AtomicReference<BenchRunner> running = new AtomicReference<>(runner);
    boolean draw = progress != null ? progress : ProgressTicker.stderrIsTerminal();
    if (draw) {
      err.println("bench: " + settings.get("run") + "; nodes: " + settings.get("nodes"));
      err.flush();
    }
    // Ctrl-C: stop the workers, print the report of what ran, then let the JVM exit
    CountDownLatch reported = new CountDownLatch(1);
    Thread onInterrupt = new Thread(() -> {
      running.get().stop();
      runner.stop();
      try {
        reported.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-interrupt");
    boolean hooked = addHook(onInterrupt);
    try {
      if (warmUp != null) {
        BenchRunner warming = new BenchRunner(plan.warmUp(warmUp), target);
        running.set(warming);
        err.println("bench: warming up for " + DurationText.format(warmUp));
        err.flush();
        warming.run(settings);
        running.set(runner);
        // compare.sh starts counting the servers' CPU at this line
        err.println("bench: measuring");
        err.flush();
      }
      Report.Result result;
      if (draw) {
        try (ProgressTicker ticker = new ProgressTicker(runner, err)) {
          result = runner.run(settings);
        }
      } else {
        result = runner.run(settings);
      }
      if (common.json) {
        Printer.json(out, Report.json(result));
      } else {
        Report.text(out, result);
      }
      return 0;
    } finally {
      reported.countDown();
      if (hooked) {
        removeHook(onInterrupt);
      }
    }
  }

  private BenchPlan plan() {
    try {
      if (duration != null && operations != null) {
        throw new IllegalArgumentException("give --duration or --operations, not both");
      }
      Budget budget = operations != null ? Budget.of(operations)
          : Budget.of(DurationText.parse(duration != null ? duration : "30s"));
      Pacing pacing = Pacing.rate(rate);
      int workers = concurrency != null ? concurrency : pacing.openLoop() ? 64 : 8;
      String prefix = accountPrefix != null ? accountPrefix
          : "bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong(0x1000000L, 0x10000000L)) + "-";
      Duration bound = DurationText.parse(lagTimeout);
      return new BenchPlan(budget, pacing, workers, Mix.parse(mix), accounts, prefix,
          LagSampler.parse(lagSample), bound, lagInFlight, redeemPoints,
          seed != null ? seed : ThreadLocalRandom.current().nextLong());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Duration warmUp() {
    try {
      Duration time = warmup == null ? null : DurationText.parse(warmup);
      if (time != null && (time.isNegative() || time.isZero())) {
        throw new IllegalArgumentException("--warmup must be above 0");
      }
      return time;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static boolean addHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting (Ctrl-C): the hook is running and returns once the report is out
    }
  }
}
