package io.loyaltyledger.client.bench;

import java.util.Locale;

/** The one-line progress display: bar, share done, time, operations, current rate, errors. */
public final class ProgressLine {

  private static final int BAR = 24;

  private ProgressLine() {}

  /**
   * E.g. {@code [##########··············]  42%  8.4 s  4210 ops  501 ops/s  errors 3}; while
   * the last lag probes are awaited, that is said instead of the rate.
   */
  public static String render(
      double fraction, long elapsedNanos, long done, double ratePerSecond, long errors,
      boolean draining, int probesInFlight) {
    double f = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.floor(f * BAR);
    StringBuilder line = new StringBuilder("[")
        .append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
        .append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(f * 100)))
        .append("  ").append(String.format(Locale.ROOT, "%.1f s", elapsedNanos / 1e9))
        .append("  ").append(done).append(" ops");
    if (draining) {
      line.append("  waiting for ").append(probesInFlight).append(" lag probe")
          .append(probesInFlight == 1 ? "" : "s");
    } else {
      line.append("  ").append(String.format(Locale.ROOT, "%.0f ops/s", ratePerSecond));
    }
    line.append("  errors ").append(errors);
    return line.toString();
  }
}
