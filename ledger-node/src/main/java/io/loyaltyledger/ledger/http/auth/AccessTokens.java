package io.loyaltyledger.ledger.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bearer tokens a node accepts, kept as SHA-256 digests. A presented token is hashed and
 * compared with every digest by {@link MessageDigest#isEqual} (constant time, equal lengths), and
 * the loop never stops early: how long a check takes says nothing about the configured tokens.
 */
public final class AccessTokens {

  private final List<byte[]> write;
  private final List<byte[]> read;

  private AccessTokens(List<byte[]> write, List<byte[]> read) {
    this.write = write;
    this.read = read;
  }

  public static AccessTokens of(List<String> writeTokens, List<String> readTokens) {
    return new AccessTokens(
        writeTokens.stream().map(AccessTokens::sha256).toList(),
        readTokens.stream().map(AccessTokens::sha256).toList());
  }

  /** What {@code presented} may do: a write token also reads. */
  public Access accessOf(String presented) {
    byte[] digest = sha256(presented);
    if (matchesAny(write, digest)) {
      return Access.WRITE;
    }
    return matchesAny(read, digest) ? Access.READ : Access.NONE;
  }

  private static boolean matchesAny(List<byte[]> digests, byte[] digest) {
    boolean matched = false;
    for (byte[] candidate : digests) {
      matched |= MessageDigest.isEqual(candidate, digest);
    }
    return matched;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Counts only: a token never appears in a log line. */
  @Override
  public String toString() {
    return "AccessTokens[" + write.size() + " write, " + read.size() + " read]";
  }
}
