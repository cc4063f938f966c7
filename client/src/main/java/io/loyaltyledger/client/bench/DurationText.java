package io.loyaltyledger.client.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 30s}, {@code 2m}, {@code 500ms}, {@code 1h}, {@code 1.5s}, or bare seconds. */
public final class DurationText {

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

  private DurationText() {}

  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (e.g. 30s, 2m, 500ms, 1h)");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "s" -> amount * 1_000;
          case "m", "min" -> amount * 60_000;
          case "h" -> amount * 3_600_000;
          default -> throw new IllegalStateException(unit);
        };
    if (millis > Duration.ofDays(365).toMillis()) {
      throw new IllegalArgumentException("duration too long: " + text);
    }
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** {@code 20 s}, {@code 1.5 s}, {@code 250 ms}, {@code 2 min 30 s}. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 1_000) {
      return millis + " ms";
    }
    if (millis < 120_000) {
      return Report.number(millis / 1000.0) + " s";
    }
    long seconds = Math.round(millis / 1000.0);
    return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
  }
}
