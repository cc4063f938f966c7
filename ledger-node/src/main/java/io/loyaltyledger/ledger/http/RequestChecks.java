package io.loyaltyledger.ledger.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation shared by every endpoint: identifiers, keys and JSON bodies. */
public final class RequestChecks {

  private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final int MAX_IDEMPOTENCY_KEY = 255;

  private RequestChecks() {}

  public static String accountId(String value) {
    if (!ACCOUNT_ID.matcher(value).matches()) {
      throw InvalidRequestException.badRequest(
          "invalid_account_id", "account ids are 1-128 characters of [A-Za-z0-9._:@-]");
    }
    return value;
  }

  public static String idempotencyKey(Optional<String> header) {
    String key = header.map(String::trim).orElse("");
    if (key.isEmpty()) {
      throw InvalidRequestException.badRequest(
          "missing_idempotency_key", "the Idempotency-Key header is required on this request");
    }
    if (key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw InvalidRequestException.badRequest(
          "invalid_idempotency_key",
          "the Idempotency-Key must be 1-255 printable ASCII characters without spaces");
    }
    return key;
  }

  /** Parses a body that must be a JSON object with no fields beyond {@code allowed}. */
  public static JsonNode jsonObject(String body, Set<String> allowed) {
    JsonNode node =
        Json.parse(body)
            .orElseThrow(
                () -> InvalidRequestException.badRequest("malformed_json", "the body is not valid JSON"));
    if (!node.isObject()) {
      throw InvalidRequestException.badRequest("malformed_json", "the body must be a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw InvalidRequestException.badRequest(
            "unknown_field", "unknown field '" + name + "'; allowed: " + allowed);
      }
    }
    return node;
  }

  /** A JSON integer within {@code [min, max]}. */
  public static long longField(JsonNode body, String field, long min, long max, String code) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw InvalidRequestException.badRequest(code, "'" + field + "' is required");
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw InvalidRequestException.badRequest(code, "'" + field + "' must be a whole number");
    }
    long v = value.longValue();
    if (v < min || v > max) {
      throw InvalidRequestException.badRequest(
          code, "'" + field + "' must be between " + min + " and " + max);
    }
    return v;
  }

  /** A JSON string of 1..maxLength characters, not blank. */
  public static String textField(JsonNode body, String field, int maxLength, String code) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw InvalidRequestException.badRequest(code, "'" + field + "' is required");
    }
    if (!value.isTextual() || value.textValue().isBlank() || value.textValue().length() > maxLength) {
      throw InvalidRequestException.badRequest(
          code, "'" + field + "' must be a non-blank string of at most " + maxLength + " characters");
    }
    return value.textValue();
  }
}
