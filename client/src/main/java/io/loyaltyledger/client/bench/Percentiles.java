package io.loyaltyledger.client.bench;

import org.HdrHistogram.AbstractHistogram;

/** A latency distribution's summary, in microseconds: p50, p99, p99.9 and max of {@code count} values. */
public record Percentiles(long count, long p50, long p99, long p999, long max) {

  public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0);

  public static Percentiles of(AbstractHistogram micros) {
    if (micros.getTotalCount() == 0) {
      return EMPTY;
    }
    return new Percentiles(
        micros.getTotalCount(),
        micros.getValueAtPercentile(50),
        micros.getValueAtPercentile(99),
        micros.getValueAtPercentile(99.9),
        micros.getMaxValue());
  }
}
