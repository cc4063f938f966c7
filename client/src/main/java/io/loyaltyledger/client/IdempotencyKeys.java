package io.loyaltyledger.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Keys derived from what a command is, so that running the same command again replays the
 * first answer instead of applying it twice.
 */
public final class IdempotencyKeys {

  private IdempotencyKeys() {}

  public static String placeOrder(String orderId) {
    return "order:" + orderId;
  }

  public static String cancelOrder(String orderId) {
    return "cancel:" + orderId;
  }

  /**
   * The same account, points and reason make the same adjustment: posting it again is a replay.
   * Two intended adjustments that look alike need their own keys (or different reasons).
   */
  public static String adjustment(String accountId, long points, String reason) {
    return "adjust:" + accountId + ":" + points + ":" + sha256(reason).substring(0, 16);
  }

  /** A fresh order id, for orders placed without one. */
  public static String newOrderId() {
    return "o-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
