package io.loyaltyledger.ledger.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.http.javadsl.model.HttpMethods;
import com.typesafe.config.ConfigFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

  private static final String WRITE = "0123456789abcdef0123456789abcdef";
  private static final String WRITE_2 = "fedcba9876543210fedcba9876543210";
  private static final String READ = "read-only-0123456789";

  private static AuthSettings parse(String hocon) {
    return AuthSettings.fromConfig(
        ConfigFactory.parseString(hocon)
            .withFallback(ConfigFactory.parseString(
                "write-tokens = [], read-tokens = [], reads = protected, metrics = open")));
  }

  @Test
  void tokensComeAsAListOrAsOneCommaSeparatedString() {
    AccessTokens listed = parse("write-tokens = [\"" + WRITE + "\", \"" + WRITE_2 + "\"]").tokens();
    AccessTokens joined =
        parse("write-tokens = \" " + WRITE + " , " + WRITE_2 + ",\", read-tokens = \"" + READ + "\"")
            .tokens();
    for (AccessTokens tokens : new AccessTokens[] {listed, joined}) {
      assertThat(tokens.accessOf(WRITE)).isEqualTo(Access.WRITE);
      assertThat(tokens.accessOf(WRITE_2)).isEqualTo(Access.WRITE);
      assertThat(tokens.accessOf(WRITE + "x")).isEqualTo(Access.NONE);
      assertThat(tokens.accessOf("")).isEqualTo(Access.NONE);
    }
    assertThat(joined.accessOf(READ)).isEqualTo(Access.READ);
  }

  @Test
  void aNodeWithoutAWriteTokenIsRefused() {
    assertThatThrownBy(() -> parse("read-tokens = [\"" + READ + "\"]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("write-tokens is empty");
    assertThatThrownBy(() -> parse("write-tokens = \" , \""))
        .hasMessageContaining("write-tokens is empty");
  }

  @Test
  void weakOrMalformedTokensAreRefusedWithoutBeingRepeated() {
    for (String bad : new String[] {"short-secret", "has spaces in it 0123456789", "quote\"0123456789abcdef"}) {
      assertThatThrownBy(() -> parse("write-tokens = [" + com.typesafe.config.ConfigValueFactory
              .fromAnyRef(bad).render() + "]"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("write-tokens #1")
          .hasMessageNotContaining(bad);
    }
    assertThatThrownBy(() -> parse("write-tokens = [\"" + WRITE + "\"], read-tokens = [\"" + WRITE + "\"]"))
        .hasMessageContaining("both");
  }

  @Test
  void readsAndMetricsAreOpenOrProtected() {
    AuthSettings settings = parse("write-tokens = [\"" + WRITE + "\"], reads = open, metrics = Protected");
    assertThat(settings.readsOpen()).isTrue();
    assertThat(settings.metricsOpen()).isFalse();
    assertThatThrownBy(() -> parse("write-tokens = [\"" + WRITE + "\"], reads = public"))
        .hasMessageContaining("open or protected");
  }

  @Test
  void noTokenEverAppearsInTheSettingsText() {
    AuthSettings settings = parse("write-tokens = [\"" + WRITE + "\"], read-tokens = [\"" + READ + "\"]");
    assertThat(settings.toString()).doesNotContain(WRITE).doesNotContain(READ).contains("1 write, 1 read");
  }

  @Test
  void everyMethodButReadsNeedsAWriteToken() {
    AccessPolicy policy = new AccessPolicy(Set.of("/ready", "/alive"), Set.of(), false);
    assertThat(policy.required(HttpMethods.GET, "/v1/accounts/a")).isEqualTo(Access.READ);
    assertThat(policy.required(HttpMethods.HEAD, "/v1/node")).isEqualTo(Access.READ);
    assertThat(policy.required(HttpMethods.GET, "/ready")).isEqualTo(Access.NONE);
    for (var method : new akka.http.javadsl.model.HttpMethod[] {
        HttpMethods.POST, HttpMethods.PUT, HttpMethods.DELETE, HttpMethods.PATCH}) {
      assertThat(policy.required(method, "/v1/accounts/a/adjustments")).isEqualTo(Access.WRITE);
      assertThat(policy.required(method, "/ready")).isEqualTo(Access.WRITE);
    }
    AccessPolicy openReads = new AccessPolicy(Set.of(), Set.of("/metrics"), true);
    assertThat(openReads.required(HttpMethods.GET, "/v1/accounts/a")).isEqualTo(Access.NONE);
    assertThat(openReads.required(HttpMethods.GET, "/metrics")).isEqualTo(Access.READ);
    assertThat(openReads.required(HttpMethods.POST, "/v1/accounts/a/adjustments")).isEqualTo(Access.WRITE);
  }
}
