package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriterSettingsTest {

  /** The block documented on WriterSettings. */
  private static final String EXAMPLE = """
      writer {
        name = "ledger-1"
        jdbc-url = "jdbc:h2:file:./var/ledger-1/writer;WRITE_DELAY=0"
        user = "sa"
        password = ""
        pool-size = 8
        lock-timeout = 10s
        connection-timeout = 10s
      }
      """;

  @Test
  void readsTheDocumentedBlock() {
    Config c = ConfigFactory.parseString(EXAMPLE).getConfig("writer");
    WriterSettings s = WriterSettings.fromConfig(c);
    assertThat(s.name()).isEqualTo("ledger-1");
    assertThat(s.jdbcUrl()).isEqualTo("jdbc:h2:file:./var/ledger-1/writer;WRITE_DELAY=0");
    assertThat(s.user()).isEqualTo("sa");
    assertThat(s.poolSize()).isEqualTo(8);
    assertThat(s.lockTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void optionalKeysHaveDefaults() {
    WriterSettings s = WriterSettings.fromConfig(ConfigFactory.parseString(
        "name = order-2, jdbc-url = \"jdbc:postgresql://db:5432/order2\", pool-size = 3"));
    assertThat(s.user()).isEqualTo("sa");
    assertThat(s.password()).isEmpty();
    assertThat(s.poolSize()).isEqualTo(3);
    assertThat(s.lockTimeout()).isEqualTo(WriterSettings.DEFAULT_LOCK_TIMEOUT);
    assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/order2");
  }

  @Test
  void h2CommitsAreAlwaysDurable() {
    assertThat(WriterSettings.h2File("w", Path.of("/tmp/x/writer")).jdbcUrl())
        .endsWith(";WRITE_DELAY=0");
    WriterSettings withoutDelay = WriterSettings.fromConfig(ConfigFactory.parseString(
        "name = w, jdbc-url = \"jdbc:h2:file:/tmp/x/writer;LOCK_MODE=3\""));
    assertThat(withoutDelay.jdbcUrl()).isEqualTo("jdbc:h2:file:/tmp/x/writer;LOCK_MODE=3;WRITE_DELAY=0");
    assertThatThrownBy(() -> WriterSettings.fromConfig(ConfigFactory.parseString(
        "name = w, jdbc-url = \"jdbc:h2:file:/tmp/x/writer;write_delay=500\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WRITE_DELAY=0");
  }

  @Test
  void refusesNamesThatCannotBeWriterKeys() {
    assertThatThrownBy(() -> WriterSettings.h2File("ledger 1", Path.of("/tmp/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAPoolTooSmallToMigrate() {
    assertThatThrownBy(() -> WriterSettings.fromConfig(ConfigFactory.parseString(
        "name = w, jdbc-url = \"jdbc:postgresql://db/w\", pool-size = 1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
  }

  @Test
  void toStringHidesThePassword() {
    WriterSettings s = WriterSettings.fromConfig(ConfigFactory.parseString(
        "name = w, jdbc-url = \"jdbc:postgresql://db/w\", user = u, password = s3cret"));
    assertThat(s.toString()).doesNotContain("s3cret").contains("***");
  }

  @Test
  void toStringHidesAPasswordInTheUrl() {
    WriterSettings s = WriterSettings.fromConfig(ConfigFactory.parseString(
        "name = w, jdbc-url = \"jdbc:postgresql://db/w?password=s3cret\""));
    assertThat(s.toString()).doesNotContain("s3cret").contains("password=***");
  }
}
