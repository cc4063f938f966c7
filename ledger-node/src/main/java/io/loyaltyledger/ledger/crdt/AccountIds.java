package io.loyaltyledger.ledger.crdt;

import java.util.Objects;

/**
 * What an account id may be: non-empty, valid Unicode (so its UTF-8 form is lossless and the
 * serialized bucket canonical) and at most {@link #MAX_BYTES} bytes of UTF-8 (buckets must stay
 * small).
 */
public final class AccountIds {

  public static final int MAX_BYTES = 256;

  private AccountIds() {}

  public static String requireValid(String accountId) {
    Objects.requireNonNull(accountId, "accountId");
    if (accountId.isEmpty()) {
      throw new IllegalArgumentException("account id must not be empty");
    }
    int bytes;
    try {
      bytes = Utf8.length(accountId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("account id is not valid Unicode: " + e.getMessage());
    }
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "account id must be at most " + MAX_BYTES + " bytes of UTF-8, was " + bytes);
    }
    return accountId;
  }
}
