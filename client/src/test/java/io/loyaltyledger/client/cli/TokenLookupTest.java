package io.loyaltyledger.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.client.BearerToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which token the CLI sends; the CLI runs in LoyaltyCliTest show that it is sent. */
class TokenLookupTest {

  @TempDir Path dir;

  @Test
  void aNamedFileWinsOverTheEnvironmentWhichWinsOverVarToken() throws Exception {
    Path named = Files.writeString(dir.resolve("named"), "named-token-0123456789\n");
    Path varToken = Files.writeString(dir.resolve("token"), "var-token-0123456789\n");
    Map<String, String> env = Map.of("LOYALTY_TOKEN", "env-token-0123456789");
    assertThat(TokenLookup.find(named, env, varToken)).contains(BearerToken.of("named-token-0123456789"));
    assertThat(TokenLookup.find(null, env, varToken)).contains(BearerToken.of("env-token-0123456789"));
    assertThat(TokenLookup.find(null, Map.of("LOYALTY_TOKEN", " "), varToken)).contains(BearerToken.of("var-token-0123456789"));
    assertThat(TokenLookup.find(null, Map.of(), dir.resolve("absent"))).isEmpty();
  }

  @Test
  void aNamedFileMustExistAndNoContentIsEverRepeated() throws Exception {
    assertThatThrownBy(() -> TokenLookup.find(dir.resolve("absent"), Map.of(), dir.resolve("absent")))
        .hasMessageContaining("cannot read the token file");
    Path bad = Files.writeString(dir.resolve("bad"), "two words\n");
    assertThatThrownBy(() -> TokenLookup.find(bad, Map.of(), dir.resolve("absent")))
        .hasMessageContaining("holds not a bearer token")
        .hasMessageNotContaining("two words");
  }
}
