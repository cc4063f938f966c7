package io.loyaltyledger.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

  @Test
  void masksPasswordsInQueryParametersAndH2Settings() {
    assertThat(JdbcUrls.redacted("jdbc:postgresql://db:5432/ledger?user=u&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/ledger?user=u&password=***&ssl=true");
    assertThat(JdbcUrls.redacted("jdbc:postgresql://db/l?sslpassword=s3cret"))
        .isEqualTo("jdbc:postgresql://db/l?sslpassword=***");
    assertThat(JdbcUrls.redacted("jdbc:h2:file:./var/w;USER=sa;PASSWORD=s3cret;WRITE_DELAY=0"))
        .isEqualTo("jdbc:h2:file:./var/w;USER=sa;PASSWORD=***;WRITE_DELAY=0");
    assertThat(JdbcUrls.redacted("jdbc:postgresql://db/l?authToken=s3cret&x=1"))
        .isEqualTo("jdbc:postgresql://db/l?authToken=***&x=1");
  }

  @Test
  void masksCredentialsBeforeTheHost() {
    assertThat(JdbcUrls.redacted("jdbc:postgresql://loyalty:s3cret@db:5432/ledger"))
        .isEqualTo("jdbc:postgresql://loyalty:***@db:5432/ledger");
  }

  @Test
  void leavesUrlsWithoutSecretsAlone() {
    String h2 = "jdbc:h2:file:/var/lib/loyalty/writer;WRITE_DELAY=0";
    assertThat(JdbcUrls.redacted(h2)).isEqualTo(h2);
    String pg = "jdbc:postgresql://db:5432/ledger?currentSchema=w1";
    assertThat(JdbcUrls.redacted(pg)).isEqualTo(pg);
  }
}
