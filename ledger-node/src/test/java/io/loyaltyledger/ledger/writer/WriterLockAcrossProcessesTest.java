package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One process per writer database, checked with a second JVM. */
class WriterLockAcrossProcessesTest {

  @TempDir Path dir;

  @Test
  void anotherProcessCannotOpenAnOpenWriterDatabase() throws Exception {
    try (WriterDatabase db = TestWriters.open(dir)) {
      Probe probe = probe(db.settings().jdbcUrl());
      assertThat(probe.exitCode).as(probe.output).isEqualTo(LockProbe.LOCKED);
      assertThat(probe.output).contains("in use by another process");
    }
    Probe afterClose = probe(TestWriters.settings(dir).jdbcUrl());
    assertThat(afterClose.exitCode).as(afterClose.output).isEqualTo(LockProbe.OPENED);
  }

  /** H2's own file lock is the second line of defence: its refusal becomes the same exception. */
  @Test
  void h2sFileLockRefusesAnotherProcessToo() throws Exception {
    String url = TestWriters.settings(dir).jdbcUrl();
    try (Connection raw = DriverManager.getConnection(url, "sa", "")) {
      Probe probe = probe(url);
      assertThat(probe.exitCode).as(probe.output).isEqualTo(LockProbe.LOCKED);
      assertThat(probe.output).contains("H2 refused");
    }
  }

  private record Probe(int exitCode, String output) {}

  private static Probe probe(String url) throws IOException, InterruptedException {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-cp", classpath,
            LockProbe.class.getName(), TestWriters.NAME, url,
            String.valueOf(TestWriters.BUCKETS)))
        .redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Probe(p.exitValue(), output);
  }
}
