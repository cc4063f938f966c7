package io.loyaltyledger.ledger.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Cluster;
import akka.cluster.MemberStatus;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.PNCounterMap;
import akka.cluster.ddata.PNCounterMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.loyaltyledger.ledger.crdt.Account;
import io.loyaltyledger.ledger.crdt.BucketIds;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import io.loyaltyledger.ledger.node.LedgerNode;
import io.loyaltyledger.ledger.node.NodeSettings;
import io.loyaltyledger.ledger.node.TestCluster;
import io.loyaltyledger.ledger.node.TestNodes;
import io.loyaltyledger.ledger.publish.PublisherSettings;
import io.loyaltyledger.ledger.replica.ReadLevel;
import io.loyaltyledger.ledger.writer.LedgerRows;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Publishing throughput of the ledger against raw Akka Distributed Data, measured in one JVM run.
 * A documented main, not a test (run it with {@code bench/publish.sh}; see {@code bench/README.md}).
 *
 * <p><b>Ours.</b> Three real {@link LedgerNode}s (config/ledger-node.conf with its shipped buckets,
 * publisher and gossip settings, plus the in-JVM test timings of test-node.conf). Node 1 is
 * stopped, {@code rows} pending rows of as many distinct accounts are committed straight into its
 * writer database (not timed), and node 1 is started again. t0 = node 1 ready ({@link
 * LedgerNode#started()}, which is when its publisher opens); t1 = the first poll that finds every
 * account, with its value, in the local replica of all three nodes.
 *
 * <p><b>Raw.</b> Three plain typed ActorSystems with the same Akka settings, keys {@code raw-<n>}
 * of type {@code PNCounterMap<String>} over the same bucket split, one {@code Update} per
 * increment ({@code WriteLocal}, then separately {@code WriteMajority}) with a bounded number in
 * flight, counted the same way. The raw keys are not durable (no LMDB), which only favours them.
 */
public final class PublishBenchmark {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** Runs a stage's function on the thread that completes the previous stage. */
  private static final Executor DIRECT = Runnable::run;

  private final Options options;
  private final LogCheck logCheck;
  private final Path root;
  private final Map<String, Object> overrides;
  /** Where the visibility checks run: one thread of the benchmark's own, off Akka's threads. */
  private final ExecutorService checks =
      Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "visibility-checks");
        t.setDaemon(true);
        return t;
      });

  private PublishBenchmark(Options options, LogCheck logCheck, Path root) {
    this.options = options;
    this.logCheck = logCheck;
    this.root = root;
    this.overrides = options.overrides;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.println(Options.USAGE);
      return;
    }
    LogCheck logCheck = LogCheck.install();
    Path root = options.dir != null
        ? Files.createDirectories(options.dir)
        : Files.createTempDirectory("publish-bench");
    int exit;
    try {
      exit = new PublishBenchmark(options, logCheck, root).run();
    } finally {
      if (!options.keep) {
        TestCluster.deleteRecursively(root);
      }
    }
    System.exit(exit);
  }

  private int run() throws Exception {
    String loadBefore = loadAverage();
    Results results = new Results();
    progress("data under %s; load average %s; %d CPUs", root, loadBefore,
        Runtime.getRuntime().availableProcessors());
    if (!overrides.isEmpty()) {
      progress("CONFIG OVERRIDDEN for this run (both clusters): %s", overrides);
    }
    if (!options.skipOurs) {
      results.ours = runOurs();
      settle();
    }
    if (!options.skipRaw) {
      results.raw = runRaw();
      settle();
    }
    results.loadBefore = loadBefore;
    results.loadAfter = loadAverage();
    return report(results);
  }

  // ---------------------------------------------------------------- ours

  private OursResult runOurs() throws Exception {
    LogCheck.Counts log = logCheck.startPhase();
    OursResult r = new OursResult();
    r.log = log;
    Path dir = root.resolve("ours");
    Config probe = shipped();
    int buckets = probe.getInt("loyalty.ledger.buckets");
    TestNodes nodes = new TestNodes(dir, 3, buckets);
    overrides.forEach(nodes::with);
    r.buckets = buckets;
    r.publisher = NodeSettings.fromConfig(nodes.config(0)).publisher();
    r.gossipInterval = probe.getDuration("akka.cluster.distributed-data.gossip-interval");
    r.frameSize = probe.getMemorySize("akka.remote.artery.advanced.maximum-frame-size").toBytes();
    r.maxDeltaSize = probe.getInt("akka.cluster.distributed-data.delta-crdt.max-delta-size");
    r.writeBehind =
        probe.getDuration("akka.cluster.distributed-data.durable.lmdb.write-behind-interval");
    r.durableKeys = probe.getStringList("akka.cluster.distributed-data.durable.keys");

    int n = options.rows;
    BucketIds bucketIds = new BucketIds(buckets);
    String[] ids = accountIds("acct-", n);
    int[][] byBucket = accountsByBucket(ids, bucketIds);

    LedgerNode[] running = new LedgerNode[3];
    try {
      progress("ours: starting a 3-node ledger cluster (%d buckets)", buckets);
      for (int i = 0; i < 3; i++) {
        running[i] = LedgerNode.start(nodes.config(i));
      }
      for (LedgerNode node : running) {
        node.started().get(180, TimeUnit.SECONDS);
      }
      if (options.warmupRows > 0) {
        r.warmupSeconds = warmUp(running, nodes.config(0), bucketIds, options.warmupRows);
      }
      progress("ours: cluster ready; stopping ledger-1 to load %,d pending rows into its database",
          n);
      running[0].close();
      running[0] = null;

      Config config1 = nodes.config(0);
      long loadStarted = System.nanoTime();
      WriterKey writerKey = loadPending(config1, bucketIds, ids);
      r.pendingBefore = pendingCount(config1, bucketIds);
      r.loadSeconds = seconds(System.nanoTime() - loadStarted);
      progress("ours: %,d pending rows committed in %.1f s (not timed); starting ledger-1 again",
          r.pendingBefore, r.loadSeconds);

      long restart = System.nanoTime();
      AtomicLong t0 = new AtomicLong();
      running[0] = LedgerNode.start(config1);
      AtomicLong cpuAtT0 = new AtomicLong();
      ThreadCpu[] threadsAtT0 = new ThreadCpu[1];
      running[0].started().thenRun(() -> {
        threadsAtT0[0] = ThreadCpu.snapshot();
        cpuAtT0.set(processCpuNanos());
        t0.compareAndSet(0, System.nanoTime());
      });
      AckSampler acks = new AckSampler(running[0]);
      acks.start();
      running[0].started().get(180, TimeUnit.SECONDS);
      while (t0.get() == 0) {
        Thread.onSpinWait();
      }
      r.restartToReadySeconds = seconds(t0.get() - restart);
      progress("ours: ledger-1 ready after %.1f s (reconciler start pass); t0", r.restartToReadySeconds);

      LedgerNode[] cluster = running.clone();
      Visibility visibility =
          new Visibility(
              3,
              buckets,
              nonEmpty(byBucket),
              (node, bucket) ->
                  cluster[node]
                      .replica()
                      .read(bucket, ReadLevel.local())
                      .thenApplyAsync(data -> {
                        for (int i : byBucket[bucket]) {
                          Account account = data.account(ids[i]);
                          Row row = account.row(writerKey);
                          if (row.credited() != credit(i) || row.debited() != 0) {
                            return false;
                          }
                        }
                        return true;
                      }, checks),
              options.readsInFlight,
              options.stopAfterIncomplete);
      List<ActorSystem<?>> ourSystems = new ArrayList<>();
      for (LedgerNode node : cluster) {
        ourSystems.add(node.system());
      }
      r.visible = pollUntilVisible("ours", visibility, t0.get(), n, ourSystems);
      long cpuNanos = processCpuNanos() - cpuAtT0.get();
      r.cpuSeconds = seconds(cpuNanos);
      r.threadCpu = ThreadCpu.snapshot().report(threadsAtT0[0], cpuNanos, n);
      // Not part of the measurement: let the last rounds' acknowledgements come in for the table.
      long ackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (running[0].publisher().publishedRows() < n && System.nanoTime() < ackDeadline) {
        Thread.sleep(50);
      }
      Thread.sleep(20);
      acks.stop();
      r.t0 = t0.get();
      r.visibility = visibility;
      r.acks = acks;
      r.rows = n;
      r.publishedRows = running[0].publisher().publishedRows();
      r.pendingAfter = running[0].rows().pendingCount();
    } finally {
      progress("ours: stopping the cluster");
      for (LedgerNode node : running) {
        if (node != null) {
          try {
            node.close();
          } catch (RuntimeException e) {
            progress("ours: a node did not close cleanly: %s", e);
          }
        }
      }
    }
    return r;
  }

  /**
   * The settings every node gets — the project's config/ledger-node.conf (which includes
   * node-common.conf) under test-node.conf, plus --set overrides — before TestNodes adds ports,
   * names and directories.
   */
  private Config shipped() {
    return ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.parseResources("test-node.conf"))
        .withFallback(ConfigFactory.parseFile(TestNodes.projectFile("config/ledger-node.conf").toFile()))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  // ---------------------------------------------------------------- raw

  private RawResult runRaw() throws Exception {
    LogCheck.Counts log = logCheck.startPhase();
    RawResult r = new RawResult();
    r.log = log;
    int buckets = shipped().getInt("loyalty.ledger.buckets");
    TestNodes nodes = new TestNodes(root.resolve("raw"), 3, buckets);
    overrides.forEach(nodes::with);
    r.buckets = buckets;
    BucketIds bucketIds = new BucketIds(buckets);
    List<ActorSystem<Void>> systems = new ArrayList<>();
    try {
      progress("raw: starting 3 plain ActorSystems with the same Akka settings");
      for (int i = 0; i < 3; i++) {
        systems.add(ActorSystem.create(Behaviors.empty(), "loyalty", nodes.config(i)));
      }
      awaitMembersUp(systems, Duration.ofSeconds(120));
      warmUp(systems);
      r.local =
          rawRun(systems, bucketIds, "raw-", "racct-", options.rawOps,
              Replicator.writeLocal(), "WriteLocal");
      if (options.rawMajority) {
        settle();
        r.majority =
            rawRun(systems, bucketIds, "rawm-", "macct-", options.rawMajorityOps,
                new Replicator.WriteMajority(Duration.ofSeconds(3)), "WriteMajority");
      }
    } finally {
      progress("raw: stopping the cluster");
      for (ActorSystem<Void> system : systems) {
        system.terminate();
      }
      for (ActorSystem<Void> system : systems) {
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
    return r;
  }

  private RawRun rawRun(
      List<ActorSystem<Void>> systems,
      BucketIds bucketIds,
      String keyPrefix,
      String accountPrefix,
      int m,
      Replicator.WriteConsistency consistency,
      String label)
      throws Exception {
    RawRun run = new RawRun();
    run.label = label;
    run.ops = m;
    String[] ids = accountIds(accountPrefix, m);
    int[][] byBucket = accountsByBucket(ids, bucketIds);
    @SuppressWarnings("unchecked")
    Key<PNCounterMap<String>>[] keys = new Key[bucketIds.buckets()];
    for (int b = 0; b < keys.length; b++) {
      keys[b] = PNCounterMapKey.create(keyPrefix + b);
    }
    ActorSystem<Void> writer = systems.get(0);
    ActorRef<Replicator.Command> replicator = DistributedData.get(writer).replicator();
    SelfUniqueAddress self = DistributedData.get(writer).selfUniqueAddress();
    Visibility visibility =
        new Visibility(
            3,
            keys.length,
            nonEmpty(byBucket),
            (node, bucket) ->
                readRaw(systems.get(node), keys[bucket])
                    .thenApplyAsync(entries -> {
                      for (int i : byBucket[bucket]) {
                        if (!BigInteger.ONE.equals(entries.get(ids[i]))) {
                          return false;
                        }
                      }
                      return true;
                    }, checks),
            options.readsInFlight,
            options.stopAfterIncomplete);

    progress("raw %s: %,d updates of one increment each, %d in flight", label, m,
        options.rawInFlight);
    Semaphore inFlight = new Semaphore(options.rawInFlight);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Duration askTimeout = Duration.ofSeconds(10);
    long t0 = System.nanoTime();
    CompletableFuture<Boolean> visible = new CompletableFuture<>();
    Thread poller = new Thread(() -> {
      try {
        visible.complete(pollUntilVisible("raw " + label, visibility, t0, m, List.copyOf(systems)));
      } catch (Throwable e) {
        visible.completeExceptionally(e);
      }
    }, "raw-visibility-poller");
    poller.start();
    for (int i = 0; i < m; i++) {
      inFlight.acquireUninterruptibly();
      Key<PNCounterMap<String>> key = keys[bucketIds.bucketOf(ids[i])];
      String account = ids[i];
      CompletionStage<Replicator.UpdateResponse<PNCounterMap<String>>> answer =
          AskPattern.ask(
              replicator,
              replyTo ->
                  new Replicator.Update<>(
                      key, PNCounterMap.empty(), consistency, replyTo,
                      map -> map.increment(self, account, 1)),
              askTimeout,
              writer.scheduler());
      // On the thread that completes the ask: the callback is trivial. (A non-async stage of an
      // Akka ask future runs async on the common pool, which with 2 CPUs is a new thread each.)
      answer.whenCompleteAsync((response, error) -> {
        if (response instanceof Replicator.UpdateSuccess) {
          acked.incrementAndGet();
        } else {
          failed.incrementAndGet();
        }
        inFlight.release();
      }, DIRECT);
    }
    inFlight.acquireUninterruptibly(options.rawInFlight);
    run.ackSeconds = seconds(System.nanoTime() - t0);
    run.acked = acked.get();
    run.failed = failed.get();
    progress("raw %s: all updates answered after %.2f s (%d ok, %d not)", label,
        run.ackSeconds, run.acked, run.failed);
    run.visible = visible.get();
    run.t0 = t0;
    run.visibility = visibility;
    return run;
  }

  private static CompletionStage<Map<String, BigInteger>> readRaw(
      ActorSystem<Void> system, Key<PNCounterMap<String>> key) {
    return AskPattern.<Replicator.Command, Replicator.GetResponse<PNCounterMap<String>>>ask(
            DistributedData.get(system).replicator(),
            replyTo -> new Replicator.Get<>(key, Replicator.readLocal(), replyTo),
            Duration.ofSeconds(5),
            system.scheduler())
        .thenApplyAsync(response -> {
          if (response instanceof Replicator.GetSuccess<PNCounterMap<String>> success) {
            return success.get(key).getEntries();
          }
          if (response instanceof Replicator.NotFound) {
            return Map.of();
          }
          throw new IllegalStateException("read of " + key.id() + " failed: " + response);
        }, DIRECT);
  }

  private static void awaitMembersUp(List<ActorSystem<Void>> systems, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean allUp = true;
      for (ActorSystem<Void> system : systems) {
        long up = 0;
        for (akka.cluster.Member member :
            Cluster.get(Adapter.toClassic(system)).state().getMembers()) {
          if (member.status() == MemberStatus.up()) {
            up++;
          }
        }
        allUp &= up == systems.size();
      }
      if (allUp) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("raw cluster did not form within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  /** One replicated write seen on every node: the replicators know each other. */
  private void warmUp(List<ActorSystem<Void>> systems) throws Exception {
    Key<PNCounterMap<String>> key = PNCounterMapKey.create("warm-up");
    ActorSystem<Void> writer = systems.get(0);
    SelfUniqueAddress self = DistributedData.get(writer).selfUniqueAddress();
    AskPattern.<Replicator.Command, Replicator.UpdateResponse<PNCounterMap<String>>>ask(
            DistributedData.get(writer).replicator(),
            replyTo -> new Replicator.Update<>(key, PNCounterMap.empty(),
                new Replicator.WriteAll(Duration.ofSeconds(5)), replyTo,
                map -> map.increment(self, "warm-up", 1)),
            Duration.ofSeconds(10),
            writer.scheduler())
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    for (ActorSystem<Void> system : systems) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!BigInteger.ONE.equals(readRaw(system, key).toCompletableFuture().get().get("warm-up"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("warm-up write not visible on " + system.address());
        }
        Thread.sleep(100);
      }
    }
  }

  // ---------------------------------------------------------------- shared

  /** Polls every poll interval until all is visible or the timeout; true when all is visible. */
  /**
   * Polls every poll interval until all is visible, the timeout, or a node's actor system
   * terminated (the Split Brain Resolver downed it: what was not visible never will be).
   */
  private boolean pollUntilVisible(String phase, Visibility visibility, long t0, int items,
      List<? extends ActorSystem<?>> systems) throws InterruptedException {
    long interval = TimeUnit.MILLISECONDS.toNanos(options.pollMillis);
    long deadline = t0 + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
    long lastReport = t0;
    while (true) {
      long pollStarted = System.nanoTime();
      if (visibility.pollOnce()) {
        return true;
      }
      long now = System.nanoTime();
      if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
        lastReport = now;
        progress("%s: %.1f s after t0, complete buckets per node: %d, %d, %d of %d", phase,
            seconds(now - t0), visibility.completeBuckets(0), visibility.completeBuckets(1),
            visibility.completeBuckets(2), visibility.checkedBuckets());
      }
      if (now > deadline) {
        progress("%s: TIMEOUT after %d s: not all %,d items visible", phase,
            options.timeoutSeconds, items);
        return false;
      }
      for (ActorSystem<?> system : systems) {
        if (system.whenTerminated().isCompleted()) {
          progress("%s: GAVE UP: node %s terminated (downed?), see the log", phase,
              system.address());
          return false;
        }
      }
      long sleep = pollStarted + interval - System.nanoTime();
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      }
    }
  }

  /** Lets the log catch up and the JVM clean up between phases. */
  private static void settle() throws InterruptedException {
    Thread.sleep(2_000);
    System.gc();
    Thread.sleep(500);
  }

  static long credit(int i) {
    return 1 + (i % 1000);
  }

  private static String[] accountIds(String prefix, int n) {
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = prefix + String.format(Locale.ROOT, "%07d", i);
    }
    return ids;
  }

  /** For every bucket, the indexes of the accounts that live in it. */
  private static int[][] accountsByBucket(String[] ids, BucketIds bucketIds) {
    int[] counts = new int[bucketIds.buckets()];
    int[] bucketOf = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      bucketOf[i] = bucketIds.bucketOf(ids[i]);
      counts[bucketOf[i]]++;
    }
    int[][] byBucket = new int[counts.length][];
    for (int b = 0; b < counts.length; b++) {
      byBucket[b] = new int[counts[b]];
    }
    int[] fill = new int[counts.length];
    for (int i = 0; i < ids.length; i++) {
      byBucket[bucketOf[i]][fill[bucketOf[i]]++] = i;
    }
    return byBucket;
  }

  private static int[] nonEmpty(int[][] byBucket) {
    return java.util.stream.IntStream.range(0, byBucket.length)
        .filter(b -> byBucket[b].length > 0)
        .toArray();
  }

  /**
   * Not timed, as a JMH warm-up iteration: the same cycle as the measured one (stop ledger-1,
   * commit {@code rows} pending rows of other accounts, {@code warm-…}, start it again, wait until
   * a majority acknowledged them), so that the JIT has compiled the start pass and the publishing
   * path before t0. Without it a 200 000-row run spends about a third of its CPU in the C2
   * compiler. Returns the seconds it took.
   */
  private static double warmUp(LedgerNode[] running, Config config1, BucketIds bucketIds, int rows)
      throws Exception {
    progress("ours: warming up (not timed): the same cycle with %,d rows of other accounts", rows);
    long started = System.nanoTime();
    running[0].close();
    running[0] = null;
    loadPending(config1, bucketIds, accountIds("warm-", rows));
    running[0] = LedgerNode.start(config1);
    running[0].started().get(180, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (running[0].publisher().publishedRows() < rows) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("warm-up rows were not published within 180 s");
      }
      Thread.sleep(50);
    }
    // The published marks are written once the publisher is idle; rows still pending would be
    // published again in the measured cycle. Marks cost ~100 us of CPU per row: on a busy box,
    // 300 000 of them take minutes.
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
    while (running[0].rows().pendingCount() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("warm-up rows were not marked published within 600 s");
      }
      Thread.sleep(200);
    }
    double seconds = seconds(System.nanoTime() - started);
    progress("ours: warm-up done in %.1f s", seconds);
    return seconds;
  }

  /** Commits one pending row per account into the (stopped) node's writer database. */
  private static WriterKey loadPending(Config config, BucketIds bucketIds, String[] ids)
      throws Exception {
    try (WriterDatabase db =
        WriterDatabase.open(NodeSettings.fromConfig(config).writer(), bucketIds.buckets())) {
      LedgerRows rows = new LedgerRows(db, bucketIds::bucketOf);
      if (Boolean.getBoolean("bench.narrow-pending-index")) {
        // A/B experiments only: the pending index as before migration V3 (not covering).
        db.inTransaction(tx -> {
          try (java.sql.Statement s = tx.createStatement()) {
            s.execute("DROP INDEX ledger_row_pending");
            s.execute("CREATE INDEX ledger_row_pending ON ledger_row (pending, bucket, account_id)");
          }
          return null;
        });
      }
      int perTransaction = 20_000;
      for (int from = 0; from < ids.length; from += perTransaction) {
        int start = from;
        int end = Math.min(ids.length, from + perTransaction);
        db.inTransaction(
            tx -> {
              for (int i = start; i < end; i++) {
                rows.add(tx, ids[i], credit(i), 0);
              }
              return null;
            });
      }
      return db.writerKey();
    }
  }

  private static long pendingCount(Config config, BucketIds bucketIds) {
    try (WriterDatabase db =
        WriterDatabase.open(NodeSettings.fromConfig(config).writer(), bucketIds.buckets())) {
      return new LedgerRows(db, bucketIds::bucketOf).pendingCount();
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static void progress(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[%s] %s%n", LocalDateTime.now().format(CLOCK),
        String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  // ---------------------------------------------------------------- report

  private int report(Results results) {
    StringBuilder out = new StringBuilder();
    IntFunction<String> line = w -> "-".repeat(w);
    out.append('\n').append(line.apply(100)).append('\n');
    out.append("PUBLISH BENCHMARK — one JVM, ").append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs, max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB, ")
        .append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.version")).append('\n');
    out.append("load average (1/5/15 min) before: ").append(results.loadBefore)
        .append("   after: ").append(results.loadAfter).append('\n');
    if (!overrides.isEmpty()) {
      out.append("CONFIG OVERRIDDEN (not the shipped settings): ").append(overrides).append('\n');
    }
    OursResult ours = results.ours;
    RawResult raw = results.raw;
    if (ours != null) {
      PublisherSettings p = ours.publisher;
      out.append(String.format(Locale.ROOT,
          "ours: %d buckets; publisher tick %d ms, byte budget %d KiB/tick, <= %d rows/Update, "
              + "%d Updates in flight, WriteMajority (%d ms);%n"
              + "      gossip-interval %d ms, max-delta-size %d, maximum-frame-size %d KiB, "
              + "durable keys %s (LMDB write-behind %d ms)%n",
          ours.buckets, p.tick().toMillis(), p.byteBudgetPerTick() / 1024, p.maxRowsPerUpdate(),
          p.maxUpdatesInFlight(), p.writeTimeout().toMillis(), ours.gossipInterval.toMillis(),
          ours.maxDeltaSize, ours.frameSize / 1024, ours.durableKeys,
          ours.writeBehind.toMillis()));
    }
    if (raw != null) {
      out.append(String.format(Locale.ROOT,
          "raw:  %d keys raw-<n> PNCounterMap<String>, same split and Akka settings, NOT durable "
              + "(no LMDB: favours raw); %d updates in flight%n",
          raw.buckets, options.rawInFlight));
    }
    out.append(String.format(Locale.ROOT,
        "visibility: every %d ms, ReadLocal Gets of the buckets not yet complete on each of the 3 "
            + "nodes (bucket order, a node's poll%n  stops after %d incomplete buckets); a bucket "
            + "is complete when all its accounts have their values; t1 = first poll finding all%n",
        options.pollMillis, options.stopAfterIncomplete));
    out.append(line.apply(100)).append('\n');
    out.append(String.format(Locale.ROOT, "%-52s %9s %10s %10s %12s%n",
        "phase", "items", "acked (s)", "all 3 (s)", "items/s"));
    double oursRate = Double.NaN;
    double rawLocalRate = Double.NaN;
    double rawMajorityRate = Double.NaN;
    if (ours != null) {
      oursRate = ours.visible ? ours.rows / seconds(ours.visibility.allDoneAt() - ours.t0) : 0;
      out.append(String.format(Locale.ROOT, "%-52s %9d %10s %10s %12s%n",
          "ours: batched rows, distinct accounts, WriteMajority", ours.rows,
          fmt(ours.acks.allAckedSeconds(ours.t0, ours.rows)),
          ours.visible ? fmt(seconds(ours.visibility.allDoneAt() - ours.t0)) : "FAILED",
          ours.visible ? String.format(Locale.ROOT, "%,.0f", oursRate) : "-"));
    }
    if (raw != null && raw.local != null) {
      rawLocalRate = rawRow(out, "raw: PNCounterMap, 1 increment/Update, WriteLocal", raw.local);
    }
    if (raw != null && raw.majority != null) {
      rawMajorityRate =
          rawRow(out, "raw: PNCounterMap, 1 increment/Update, WriteMajority", raw.majority);
    }
    out.append(line.apply(100)).append('\n');
    if (ours != null && raw != null) {
      out.append("ratio ours / raw WriteLocal:    ").append(ratio(oursRate, rawLocalRate))
          .append('\n');
      if (raw.majority != null) {
        out.append("ratio ours / raw WriteMajority: ").append(ratio(oursRate, rawMajorityRate))
            .append('\n');
      }
    }
    if (ours != null) {
      out.append(String.format(Locale.ROOT,
          "ours detail: warm-up %.1f s (untimed), load %,d rows %.1f s (untimed), restart->ready %.1f s (untimed); "
              + "all visible on ledger-1/2/3 at %s/%s/%s s after t0%n",
          ours.warmupSeconds, ours.pendingBefore, ours.loadSeconds, ours.restartToReadySeconds,
          fmt(nodeSeconds(ours.visibility, 0, ours.t0)), fmt(nodeSeconds(ours.visibility, 1, ours.t0)),
          fmt(nodeSeconds(ours.visibility, 2, ours.t0))));
      double window = seconds(ours.visibility.allDoneAt() - ours.t0);
      if (ours.visible) out.append(String.format(Locale.ROOT,
          "ours CPU t0->t1: %.2f s of the JVM (%.0f%% of %d cores), %.1f us per row%n",
          ours.cpuSeconds, 100 * ours.cpuSeconds / window / Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().availableProcessors(), 1e6 * ours.cpuSeconds / ours.rows));
      if (ours.visible && ours.threadCpu != null) {
        out.append("ours CPU t0->t1 by thread group:\n").append(ours.threadCpu);
      }
      out.append("ours publisher: ").append(ours.acks.summary(ours.t0))
          .append(String.format(Locale.ROOT, "; rows acked %,d, still pending %,d%n",
              ours.publishedRows, ours.pendingAfter));
      out.append(String.format(Locale.ROOT, "ours polling: %d polls, %,d bucket reads, %d failed%n",
          ours.visibility.polls(), ours.visibility.reads(), ours.visibility.failedReads()));
    }
    out.append(line.apply(100)).append('\n');
    out.append("log check, lines per phase (whole phase: start, load, publish, stop):\n");
    out.append(String.format(Locale.ROOT, "%-8s %10s %40s %19s %8s %12s %7s %7s%n",
        "phase", "oversized", "Failed to serialize oversized message", "maximum-frame-size",
        "dropp*", "unreachable", "ERROR", "WARN"));
    if (ours != null) {
      logRow(out, "ours", ours.log);
    }
    if (raw != null) {
      logRow(out, "raw", raw.log);
    }
    out.append(line.apply(100)).append('\n');
    int exit = 0;
    if (ours != null) {
      boolean fast = ours.visible && oursRate >= 100_000;
      boolean clean = !ours.log.anyOversized();
      out.append(String.format(Locale.ROOT, "goal >= 100 000 rows/s into 3 nodes:   %s%n",
          fast ? "MET" : "NOT MET"));
      if (raw != null && raw.local != null) {
        out.append(String.format(Locale.ROOT, "goal >= 20 x raw WriteLocal rate:      %s%n",
            !(oursRate > 0 && rawLocalRate > 0) ? "n/a (a phase did not finish)"
                : oursRate >= 20 * rawLocalRate ? "MET" : "NOT MET"));
      }
      out.append(String.format(Locale.ROOT, "goal no message dropped for size (ours): %s%n",
          clean ? "MET" : "NOT MET"));
      if (!ours.visible) {
        exit = 1;
      }
    }
    out.append(line.apply(100)).append('\n');
    System.out.print(out);
    System.out.flush();
    return exit;
  }

  private static String ratio(double ours, double raw) {
    return ours > 0 && raw > 0
        ? String.format(Locale.ROOT, "%6.1f x", ours / raw)
        : "   n/a (a phase did not finish)";
  }

  private double rawRow(StringBuilder out, String label, RawRun run) {
    double rate = run.visible ? run.ops / seconds(run.visibility.allDoneAt() - run.t0) : 0;
    out.append(String.format(Locale.ROOT, "%-52s %9d %10s %10s %12s%n", label, run.ops,
        fmt(run.ackSeconds) + (run.failed > 0 ? "*" : ""),
        run.visible ? fmt(seconds(run.visibility.allDoneAt() - run.t0)) : "FAILED",
        run.visible ? String.format(Locale.ROOT, "%,.0f", rate) : "-"));
    if (run.failed > 0) {
      out.append(String.format(Locale.ROOT, "  * %d of %d updates were not acknowledged%n",
          run.failed, run.ops));
    }
    out.append(String.format(Locale.ROOT,
        "  (visible on node 1/2/3 at %s/%s/%s s; %d polls, %,d bucket reads, %d failed)%n",
        fmt(nodeSeconds(run.visibility, 0, run.t0)), fmt(nodeSeconds(run.visibility, 1, run.t0)),
        fmt(nodeSeconds(run.visibility, 2, run.t0)), run.visibility.polls(),
        run.visibility.reads(), run.visibility.failedReads()));
    return rate;
  }

  private static void logRow(StringBuilder out, String phase, LogCheck.Counts c) {
    out.append(String.format(Locale.ROOT, "%-8s %10d %40d %19d %8d %12d %7d %7d%n", phase,
        c.oversized.get(), c.failedToSerializeOversized.get(), c.maximumFrameSize.get(),
        c.dropped.get(), c.unreachable.get(), c.errors.get(), c.warnings.get()));
  }

  private static double nodeSeconds(Visibility v, int node, long t0) {
    long t = v.nodeDoneAt(node);
    return t == 0 ? Double.NaN : seconds(t - t0);
  }

  private static String fmt(double seconds) {
    return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.2f", seconds);
  }

  // ---------------------------------------------------------------- results

  private static final class Results {
    OursResult ours;
    RawResult raw;
    String loadBefore;
    String loadAfter;
  }

  /** CPU time of this JVM's threads so far (every node of the cluster runs in it). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static final class OursResult {
    int buckets;
    PublisherSettings publisher;
    Duration gossipInterval;
    long frameSize;
    int maxDeltaSize;
    Duration writeBehind;
    List<String> durableKeys;
    int rows;
    long pendingBefore;
    long pendingAfter;
    long publishedRows;
    double warmupSeconds;
    double loadSeconds;
    double restartToReadySeconds;
    // CPU time of the whole JVM (all three nodes, the polling, the JIT, GC) from t0 to t1.
    double cpuSeconds;
    // The same CPU by thread group.
    String threadCpu;
    long t0;
    boolean visible;
    Visibility visibility;
    AckSampler acks;
    LogCheck.Counts log;
  }

  private static final class RawResult {
    int buckets;
    RawRun local;
    RawRun majority;
    LogCheck.Counts log;
  }

  private static final class RawRun {
    String label;
    int ops;
    long t0;
    double ackSeconds;
    long acked;
    long failed;
    boolean visible;
    Visibility visibility;
  }

  /**
   * Samples the publisher's count of majority-acknowledged rows every millisecond. A round marks
   * its acknowledged rows in one step, so the steps are the rounds that acknowledged something.
   */
  private static final class AckSampler {
    private final LedgerNode node;
    private final List<long[]> steps = new ArrayList<>();
    private volatile boolean stopped;
    private Thread thread;

    AckSampler(LedgerNode node) {
      this.node = node;
    }

    void start() {
      thread = new Thread(() -> {
        long last = node.publisher().publishedRows();
        while (!stopped) {
          long now = node.publisher().publishedRows();
          if (now != last) {
            synchronized (steps) {
              steps.add(new long[] {System.nanoTime(), now - last});
            }
            last = now;
          }
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "publisher-ack-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      stopped = true;
      thread.join();
    }

    /** Seconds after t0 at which the acknowledged rows reached {@code rows}; NaN if never. */
    double allAckedSeconds(long t0, int rows) {
      long total = 0;
      synchronized (steps) {
        for (long[] step : steps) {
          total += step[1];
          if (total >= rows) {
            return seconds(step[0] - t0);
          }
        }
      }
      return Double.NaN;
    }

    String summary(long t0) {
      synchronized (steps) {
        if (steps.isEmpty()) {
          return "no acknowledged rounds";
        }
        long max = 0;
        long total = 0;
        for (long[] step : steps) {
          max = Math.max(max, step[1]);
          total += step[1];
        }
        long first = steps.get(0)[0];
        long last = steps.get(steps.size() - 1)[0];
        double meanGapMs =
            steps.size() > 1 ? (last - first) / 1e6 / (steps.size() - 1) : Double.NaN;
        return String.format(Locale.ROOT,
            "%d acknowledged rounds, %,.0f rows/round on average (max %,d), first ack %.2f s "
                + "after t0, one round every %.0f ms",
            steps.size(), (double) total / steps.size(), max, seconds(first - t0), meanGapMs);
      }
    }
  }

  // ---------------------------------------------------------------- options

  static final class Options {
    static final String USAGE =
        String.join("\n",
            "usage: PublishBenchmark [options]",
            "  --rows=N               rows (distinct accounts) published by ours (default 200000)",
            "  --raw-ops=M            raw WriteLocal updates, one account each (default 20000)",
            "  --warmup-rows=W        rows of other accounts published first, untimed, to warm up the JIT",
            "                         (default 100000; 0 = none)",
            "  --raw-majority-ops=M   raw WriteMajority updates (default: --raw-ops)",
            "  --raw-majority=on|off  also measure raw WriteMajority (default on)",
            "  --raw-in-flight=K      raw updates in flight (default 500)",
            "  --poll-ms=T            visibility poll interval (default 250)",
            "  --reads-in-flight=R    ReadLocal Gets in flight while polling (default 64)",
            "  --poll-stop-after=K    a node's poll stops after K incomplete buckets (default 16)",
            "  --timeout-s=S          give up a phase S seconds after its t0 (default 240)",
            "  --skip-ours | --skip-raw",
            "  --dir=PATH             data directory (default: a new temporary directory)",
            "  --keep                 keep the data directory",
            "  --set=path=value       override a config setting on every node of both clusters",
            "                         (for experiments; printed as CONFIG OVERRIDDEN)");

    int rows = 200_000;
    int warmupRows = 100_000;
    int rawOps = 20_000;
    int rawMajorityOps = -1;
    boolean rawMajority = true;
    int rawInFlight = 500;
    int pollMillis = 250;
    int readsInFlight = 64;
    int stopAfterIncomplete = 16;
    int timeoutSeconds = 240;
    boolean skipOurs;
    boolean skipRaw;
    boolean keep;
    boolean help;
    Path dir;
    final Map<String, Object> overrides = new LinkedHashMap<>();

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        }
        boolean flag =
            name.equals("--skip-ours") || name.equals("--skip-raw") || name.equals("--keep")
                || name.equals("--help") || name.equals("-h");
        if (!flag && value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("missing value of " + name);
          }
          value = args[++i];
        }
        switch (name) {
          case "--rows" -> o.rows = positive(name, value);
          case "--warmup-rows" -> o.warmupRows = nonNegative(name, value);
          case "--raw-ops" -> o.rawOps = positive(name, value);
          case "--raw-majority-ops" -> o.rawMajorityOps = positive(name, value);
          case "--raw-majority" -> o.rawMajority = onOff(name, value);
          case "--raw-in-flight" -> o.rawInFlight = positive(name, value);
          case "--poll-ms" -> o.pollMillis = positive(name, value);
          case "--reads-in-flight" -> o.readsInFlight = positive(name, value);
          case "--poll-stop-after" -> o.stopAfterIncomplete = positive(name, value);
          case "--timeout-s" -> o.timeoutSeconds = positive(name, value);
          case "--dir" -> o.dir = Path.of(value);
          case "--set" -> {
            int at = value.indexOf('=');
            if (at <= 0) {
              throw new IllegalArgumentException("--set needs path=value, got " + value);
            }
            o.overrides.put(value.substring(0, at).trim(), value.substring(at + 1).trim());
          }
          case "--skip-ours" -> o.skipOurs = true;
          case "--skip-raw" -> o.skipRaw = true;
          case "--keep" -> o.keep = true;
          case "--help", "-h" -> o.help = true;
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (o.rawMajorityOps < 0) {
        o.rawMajorityOps = o.rawOps;
      }
      return o;
    }

    private static int nonNegative(String name, String value) {
      return value.strip().equals("0") ? 0 : positive(name, value);
    }

    private static int positive(String name, String value) {
      try {
        int v = Integer.parseInt(value.replace("_", ""));
        if (v < 1) {
          throw new NumberFormatException();
        }
        return v;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a positive whole number, got " + value);
      }
    }

    private static boolean onOff(String name, String value) {
      return switch (value) {
        case "on", "true", "yes" -> true;
        case "off", "false", "no" -> false;
        default -> throw new IllegalArgumentException(name + " needs on or off, got " + value);
      };
    }
  }
}
