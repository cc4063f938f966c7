package io.loyaltyledger.ledger.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts log lines of one benchmark phase that tell of Artery messages dropped for their size:
 * Artery logs {@code Failed to serialize oversized message [...]} (cause: {@code Discarding
 * oversized payload sent to ...: max allowed size ...}) and drops the message. Attached to the root
 * logger programmatically, so it counts whatever the logback configuration prints.
 */
final class LogCheck extends AppenderBase<ILoggingEvent> {

  /** What one phase logged. */
  static final class Counts {
    final AtomicLong oversized = new AtomicLong();
    final AtomicLong failedToSerializeOversized = new AtomicLong();
    final AtomicLong maximumFrameSize = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong unreachable = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong warnings = new AtomicLong();

    boolean anyOversized() {
      return oversized.get() + failedToSerializeOversized.get() + maximumFrameSize.get() > 0;
    }
  }

  private volatile Counts current = new Counts();

  static LogCheck install() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogCheck check = new LogCheck();
    check.setContext(context);
    check.setName("publish-benchmark-log-check");
    check.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(check);
    return check;
  }

  /** Starts counting a new phase; returns its counters. */
  Counts startPhase() {
    Counts counts = new Counts();
    current = counts;
    return counts;
  }

  @Override
  protected void append(ILoggingEvent event) {
    Counts counts = current;
    StringBuilder line = new StringBuilder(String.valueOf(event.getFormattedMessage()));
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      line.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
    }
    String text = line.toString();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("oversized")) {
      counts.oversized.incrementAndGet();
    }
    if (text.contains("Failed to serialize oversized message")) {
      counts.failedToSerializeOversized.incrementAndGet();
    }
    if (lower.contains("maximum-frame-size")) {
      counts.maximumFrameSize.incrementAndGet();
    }
    if (lower.contains("dropped") || lower.contains("dropping")) {
      counts.dropped.incrementAndGet();
    }
    // "Marking node as UNREACHABLE" / "Marking node(s) as UNREACHABLE"; not the heartbeat-delay
    // warning, which only says that it "may cause failure detection to mark members as unreachable"
    if (text.contains("as UNREACHABLE")) {
      counts.unreachable.incrementAndGet();
    }
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      counts.errors.incrementAndGet();
    } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      counts.warnings.incrementAndGet();
    }
  }
}
