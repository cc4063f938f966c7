package io.loyaltyledger.ledger.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The fingerprint of a request: SHA-256 (64 hex chars) over a canonical form, the JSON array
 * {@code [command, field1, field2, ...]}. A JSON array quotes and escapes every string, so no two
 * different requests share a canonical form; the command name keeps one key from matching a
 * different kind of command with the same fields.
 */
public final class CommandFingerprint {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CommandFingerprint() {}

  /** @param fields strings, numbers, booleans or nulls, in a fixed order per command */
  public static String of(String command, Object... fields) {
    Object[] canonical = new Object[fields.length + 1];
    canonical[0] = command;
    System.arraycopy(fields, 0, canonical, 1, fields.length);
    try {
      byte[] bytes = JSON.writeValueAsString(Arrays.asList(canonical))
          .getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint " + command, e);
    }
  }
}
