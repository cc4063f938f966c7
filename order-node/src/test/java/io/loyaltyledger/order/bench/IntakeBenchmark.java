package io.loyaltyledger.order.bench;

import io.loyaltyledger.ledger.bench.ProcStat;
import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.writer.IdempotentCommands;
import io.loyaltyledger.ledger.writer.IdempotentResult;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.ledger.writer.WriterSettings;
import io.loyaltyledger.order.intake.EarnRule;
import io.loyaltyledger.order.intake.OrderIntake;
import io.loyaltyledger.order.intake.PlaceOrder;
import io.loyaltyledger.order.store.OrderSchema;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The order node's write path alone: {@link OrderIntake#place} on a real writer database, from
 * several threads at once, without HTTP and without a cluster (nothing publishes). It prices the
 * transaction an order commits — the idempotency record, the ledger row, the order — which
 * {@code bench/compare.sh} can only see mixed with everything else. Run by {@code
 * bench/intake.sh}; options {@code --orders=N --warmup-orders=N --threads=N --accounts=N} and
 * {@code --jdbc-url=URL --user=U --password=P} (default: H2 in a temporary directory, as shipped).
 *
 * <p>Prints the orders per second and this JVM's CPU per order (with H2 that includes the
 * database) and, when a PostgreSQL server runs on this machine, its processes' CPU per order.
 */
public final class IntakeBenchmark {

  private static final int BUCKETS = 4096;

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int orders = Integer.parseInt(options.getOrDefault("orders", "40000"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup-orders", "40000"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
    int accounts = Integer.parseInt(options.getOrDefault("accounts", "10000"));
    // H2 (as shipped) in a directory of its own unless a database is given; deleted at the end
    Path h2Dir = options.containsKey("jdbc-url") ? null : Files.createTempDirectory("intake-bench");
    WriterSettings settings = settings(options, h2Dir);
    try (WriterDatabase db = WriterDatabase.open(settings, BUCKETS)) {
      OrderSchema.migrate(db.dataSource());
      LedgerRows rows = new LedgerRows(db, new BucketIds(BUCKETS)::bucketOf);
      OrderIntake intake = new OrderIntake(
          new IdempotentCommands(db, () -> {}), rows, db.writerKey().value(),
          new EarnRule(BigDecimal.ONE), Clock.systemUTC());
      String run = Long.toHexString(System.nanoTime());
      System.out.printf("intake: %s, %d threads, %d accounts%n",
          settings.jdbcUrl().replaceAll("password=[^;&]*", "password=…"), threads, accounts);
      place(intake, run + "-w", warmup, threads, accounts);
      long cpu0 = processCpuNanos();
      long pg0 = postgresTicks();
      long t0 = System.nanoTime();
      place(intake, run + "-m", orders, threads, accounts);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuMicros = (processCpuNanos() - cpu0) / 1e3;
      long pgTicks = postgresTicks() - pg0;
      System.out.printf("warm-up %d orders, then %d orders in %.2f s: %.0f orders/s, %.0f µs of"
          + " this JVM's CPU per order%s%n", warmup, orders, seconds, orders / seconds,
          cpuMicros / orders,
          pgTicks > 0 ? String.format(", %.0f µs of PostgreSQL's", pgTicks * 1e4 / orders) : "");
    } finally {
      if (h2Dir != null) {
        deleteTree(h2Dir);
      }
    }
  }

  /** Places {@code count} orders, each under its own key, on random accounts; all must apply. */
  private static void place(OrderIntake intake, String prefix, int count, int threads, int accounts)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            String id = prefix + "-" + i;
            String account = "in-" + ThreadLocalRandom.current().nextInt(accounts);
            IdempotentResult result = intake.place("order:" + id,
                new PlaceOrder(id, account, new BigDecimal("12.50"), "EUR"));
            if (!(result instanceof IdempotentResult.Executed)) {
              throw new IllegalStateException("order " + id + " was not applied: " + result);
            }
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static WriterSettings settings(Map<String, String> options, Path h2Dir) {
    if (h2Dir != null) {
      return WriterSettings.h2File("order-1", h2Dir.resolve("writer"));
    }
    return new WriterSettings("order-1", options.get("jdbc-url"),
        options.getOrDefault("user", "postgres"), options.getOrDefault("password", ""),
        WriterSettings.DEFAULT_POOL_SIZE, WriterSettings.DEFAULT_LOCK_TIMEOUT,
        WriterSettings.DEFAULT_CONNECTION_TIMEOUT);
  }

  /** H2 writes a chunk per commit: a run leaves a file of a gigabyte or more. */
  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /**
   * CPU clock ticks (1/100 s) of every {@code postgres} process on this machine, from {@code
   * /proc}: the server's share of a run, when it runs here; 0 elsewhere.
   */
  private static long postgresTicks() {
    long ticks = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        // a process that ended meanwhile has no stat
        ticks += ProcStat.read(process.resolve("stat"))
            .filter(stat -> stat.comm().equals("postgres"))
            .map(ProcStat::cpuTicks)
            .orElse(0L);
      }
    } catch (IOException noProc) {
      return 0;
    }
    return ticks;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("options look like --name=value: " + arg);
      }
      int eq = arg.indexOf('=');
      options.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return options;
  }
}
