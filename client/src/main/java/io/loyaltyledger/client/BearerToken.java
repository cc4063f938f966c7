package io.loyaltyledger.client;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The token the client sends as {@code Authorization: Bearer <token>}. Its text never shows in
 * {@link #toString()}, so a client's settings can be logged.
 */
public final class BearerToken {

  /** RFC 6750's token characters. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

  private final String token;

  private BearerToken(String token) {
    this.token = token;
  }

  /**
   * @throws IllegalArgumentException when {@code token} is not a bearer token (surrounding
   *     white space, as a file read whole has, is dropped first)
   */
  public static BearerToken of(String token) {
    String trimmed = Objects.requireNonNull(token, "token").trim();
    if (!TOKEN.matcher(trimmed).matches()) {
      throw new IllegalArgumentException(
          "not a bearer token: expected characters A-Z a-z 0-9 - . _ ~ + / only");
    }
    return new BearerToken(trimmed);
  }

  String headerValue() {
    return "Bearer " + token;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BearerToken that && token.equals(that.token);
  }

  @Override
  public int hashCode() {
    return token.hashCode();
  }

  @Override
  public String toString() {
    return "BearerToken[***]";
  }
}
