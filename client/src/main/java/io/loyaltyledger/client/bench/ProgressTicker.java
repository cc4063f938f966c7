package io.loyaltyledger.client.bench;

import java.io.PrintWriter;
import java.util.ArrayDeque;

/**
 * Redraws the progress line on a terminal (stderr) a few times a second, with the rate of the
 * last second; erases it when closed, so the report starts on a clean line.
 */
public final class ProgressTicker implements AutoCloseable {

  private static final long PERIOD_MILLIS = 250;
  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final BenchRunner runner;
  private final PrintWriter err;
  private final Thread thread;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanoTime, done}
  private volatile boolean closed;
  private int lastLength;

  public ProgressTicker(BenchRunner runner, PrintWriter err) {
    this.runner = runner;
    this.err = err;
    this.thread = new Thread(this::loop, "bench-progress");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void loop() {
    while (!closed) {
      draw();
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void draw() {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    long done = runner.recorder().done();
    samples.addLast(new long[] {now, done});
    while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
      samples.removeFirst();
    }
    long[] first = samples.peekFirst();
    double rate = now > first[0] ? (done - first[1]) * 1e9 / (now - first[0]) : 0;
    String line = ProgressLine.render(runner.fraction(), runner.elapsedNanos(), done, rate,
        runner.recorder().errors(), runner.draining(), runner.probesInFlight());
    err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    err.flush();
    lastLength = line.length();
  }

  @Override
  public synchronized void close() {
    closed = true;
    thread.interrupt();
    err.print("\r" + " ".repeat(lastLength) + "\r");
    err.flush();
  }

  /** Whether stderr is a terminal (Linux: fd 2 is a tty device; else: the JVM has a console). */
  public static boolean stderrIsTerminal() {
    try {
      java.nio.file.Path fd2 = java.nio.file.Path.of("/proc/self/fd/2");
      if (java.nio.file.Files.isSymbolicLink(fd2)) {
        String target = java.nio.file.Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or no /proc: fall back
    }
    return System.console() != null;
  }
}
