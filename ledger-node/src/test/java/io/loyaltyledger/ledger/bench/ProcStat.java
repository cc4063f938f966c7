package io.loyaltyledger.ledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's or thread's {@code stat} file under {@code /proc} (Linux): its command name and the
 * CPU it used, in clock ticks (user + system; 100 per second). For benchmarks that count CPU by
 * process or thread.
 */
public record ProcStat(String comm, long cpuTicks) {

  /** Empty when the file is gone (the process or thread ended) or cannot be read. */
  public static Optional<ProcStat> read(Path stat) {
    try {
      String line = Files.readString(stat);
      // the name may hold spaces and parentheses: it ends at the last ')'
      int close = line.lastIndexOf(')');
      String comm = line.substring(line.indexOf('(') + 1, close);
      String[] fields = line.substring(close + 2).split(" ");
      // fields[0] is the state (field 3); utime and stime are fields 14 and 15
      return Optional.of(
          new ProcStat(comm, Long.parseLong(fields[11]) + Long.parseLong(fields[12])));
    } catch (IOException | RuntimeException gone) {
      return Optional.empty();
    }
  }
}
