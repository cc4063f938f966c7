package io.loyaltyledger.client.cli;

import io.loyaltyledger.client.BearerToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the CLI finds its bearer token: the file {@code --token-file} names, else the token in
 * {@code $LOYALTY_TOKEN}, else the project's {@code var/token} (written by {@code bin/cluster up};
 * the project is {@code -Dloyalty.home}, which bin/loyalty sets, else the working directory).
 * With none of them the CLI sends no token, and nodes answer its writes {@code 401}.
 */
final class TokenLookup {

  static final String ENV = "LOYALTY_TOKEN";

  private TokenLookup() {}

  static Optional<BearerToken> find(Path tokenFile, Map<String, String> env, Path defaultFile) {
    if (tokenFile != null) {
      return Optional.of(read(tokenFile));
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      try {
        return Optional.of(BearerToken.of(fromEnv));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("$" + ENV + " holds " + e.getMessage());
      }
    }
    return Files.exists(defaultFile) ? Optional.of(read(defaultFile)) : Optional.empty();
  }

  /** {@code <loyalty.home>/var/token}. */
  static Path defaultFile() {
    return Path.of(System.getProperty("loyalty.home", ".")).resolve("var").resolve("token");
  }

  private static BearerToken read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the token file " + file + ": " + e);
    }
    try {
      return BearerToken.of(text);
    } catch (IllegalArgumentException e) {
      // the message never repeats the file's content
      throw new IllegalArgumentException("the token file " + file + " holds " + e.getMessage());
    }
  }
}
