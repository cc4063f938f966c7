package io.loyaltyledger.ledger.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads, grouped by what they do, between two snapshots: where a
 * benchmark window's CPU went. Java threads through {@link ThreadMXBean} (full names); the JVM's
 * own threads (JIT compilers, GC) through {@code /proc/self/task/<tid>/stat} (Linux only; absent
 * elsewhere). Threads that ended between the snapshots are not counted.
 */
final class ThreadCpu {

  private final Map<Long, Long> javaNanos;
  private final Map<Long, String> javaNames;
  private final Map<String, Long> jvmTicks;

  private ThreadCpu(Map<Long, Long> javaNanos, Map<Long, String> javaNames, Map<String, Long> jvmTicks) {
    this.javaNanos = javaNanos;
    this.javaNames = javaNames;
    this.jvmTicks = jvmTicks;
  }

  static ThreadCpu snapshot() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    if (threads.isThreadCpuTimeSupported()) {
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          nanos.put(info.getThreadId(), cpu);
          names.put(info.getThreadId(), info.getThreadName());
        }
      }
    }
    return new ThreadCpu(nanos, names, jvmThreadTicks());
  }

  /** JIT and GC threads' CPU ticks (user + system) by group, from /proc. */
  private static Map<String, Long> jvmThreadTicks() {
    Map<String, Long> ticks = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return ticks;
    }
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        // a thread that ended meanwhile has no stat
        ProcStat.read(task.resolve("stat")).ifPresent(stat -> {
          String group = jvmGroup(stat.comm());
          if (group != null) {
            ticks.merge(group + "\u0000" + task.getFileName(), stat.cpuTicks(), Long::sum);
          }
        });
      }
    } catch (IOException e) {
      // no breakdown
    }
    return ticks;
  }

  private static String jvmGroup(String comm) {
    if (comm.startsWith("C2 ") || comm.startsWith("C1 ")) {
      return "JVM: JIT compilers";
    }
    if (comm.startsWith("GC ") || comm.startsWith("G1 ")) {
      return "JVM: GC threads";
    }
    if (comm.equals("VM Thread")) {
      return "JVM: VM thread";
    }
    return null;
  }

  /** A Java thread's group: its name with numbers and node-specific parts generalized. */
  private static String javaGroup(String name) {
    String n = name.replaceAll("\\d+", "#");
    if (n.contains("akka.actor.default-dispatcher")) {
      return "akka default dispatcher (replicators, nodes' actors)";
    }
    if (n.contains("akka.actor.internal-dispatcher")) {
      return "akka internal dispatcher (cluster, durable store)";
    }
    if (n.contains("akka.remote.default-remote-dispatcher")) {
      return "akka remote dispatcher (Artery serialization)";
    }
    if (n.contains("akka.io.pinned-dispatcher") || n.contains("affinity")) {
      return "akka artery lanes / io";
    }
    return n;
  }

  /** Per group: CPU seconds and microseconds per item, largest first, then the total. */
  String report(ThreadCpu start, long processCpuNanos, int items) {
    Map<String, Double> seconds = new TreeMap<>();
    double javaTotal = 0;
    for (Map.Entry<Long, Long> e : javaNanos.entrySet()) {
      long before = start.javaNanos.getOrDefault(e.getKey(), 0L);
      double s = (e.getValue() - before) / 1e9;
      if (s > 0) {
        seconds.merge(javaGroup(javaNames.get(e.getKey())), s, Double::sum);
        javaTotal += s;
      }
    }
    double jvmTotal = 0;
    double tick = 0.01; // USER_HZ is 100 on Linux
    for (Map.Entry<String, Long> e : jvmTicks.entrySet()) {
      double s = (e.getValue() - start.jvmTicks.getOrDefault(e.getKey(), 0L)) * tick;
      if (s > 0) {
        seconds.merge(e.getKey().substring(0, e.getKey().indexOf('\u0000')), s, Double::sum);
        jvmTotal += s;
      }
    }
    double rest = processCpuNanos / 1e9 - javaTotal - jvmTotal;
    seconds.put("other (ended threads, other JVM threads)", Math.max(0, rest));
    StringBuilder out = new StringBuilder();
    seconds.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .filter(e -> e.getValue() >= 0.005)
        .forEach(e -> out.append(String.format(Locale.ROOT, "  %-62s %7.2f s %7.1f us/row%n",
            e.getKey(), e.getValue(), 1e6 * e.getValue() / items)));
    return out.toString();
  }
}
