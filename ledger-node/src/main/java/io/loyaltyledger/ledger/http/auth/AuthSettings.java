package io.loyaltyledger.ledger.http.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code loyalty.http.auth}: the bearer tokens of the node and what is open without one. A node
 * without a write token refuses to start — it would otherwise take writes from anyone, or from
 * no one, without saying so.
 */
public record AuthSettings(AccessTokens tokens, boolean readsOpen, boolean metricsOpen) {

  /** RFC 6750's token characters, and long enough not to be guessed. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{16,}=*");

  public static AuthSettings fromConfig(Config auth) {
    List<String> write = tokens(auth, "write-tokens");
    List<String> read = tokens(auth, "read-tokens");
    if (write.isEmpty()) {
      throw new IllegalArgumentException(
          "loyalty.http.auth.write-tokens is empty: a node needs at least one write token"
              + " (LOYALTY_WRITE_TOKENS; bin/cluster up generates one in var/token)");
    }
    if (read.stream().anyMatch(write::contains)) {
      throw new IllegalArgumentException(
          "a token is listed in both loyalty.http.auth.write-tokens and read-tokens");
    }
    return new AuthSettings(
        AccessTokens.of(write, read), open(auth, "reads"), open(auth, "metrics"));
  }

  /** A list, or one comma-separated string (what an environment variable can hold). */
  private static List<String> tokens(Config auth, String key) {
    List<String> raw =
        auth.getValue(key).valueType() == ConfigValueType.STRING
            ? Arrays.asList(auth.getString(key).split(","))
            : auth.getStringList(key);
    List<String> tokens = new ArrayList<>();
    for (String token : raw) {
      String trimmed = token.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!TOKEN.matcher(trimmed).matches()) {
        // never the token itself in the message: it may be a real one with a typo
        throw new IllegalArgumentException(
            "loyalty.http.auth." + key + " #" + (tokens.size() + 1) + " is not a usable bearer"
                + " token: at least 16 characters of A-Z a-z 0-9 - . _ ~ + / (e.g. openssl rand -hex 32)");
      }
      tokens.add(trimmed);
    }
    return List.copyOf(tokens);
  }

  private static boolean open(Config auth, String key) {
    String value = auth.getString(key).trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "open" -> true;
      case "protected" -> false;
      default -> throw new IllegalArgumentException(
          "loyalty.http.auth." + key + " must be open or protected, was '" + value + "'");
    };
  }
}
