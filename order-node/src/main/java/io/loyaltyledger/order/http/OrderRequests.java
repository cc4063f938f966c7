package io.loyaltyledger.order.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.http.InvalidRequestException;
import io.loyaltyledger.ledger.http.RequestChecks;
import io.loyaltyledger.order.intake.PlaceOrder;
import io.loyaltyledger.order.store.OverdraftState;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of the order API's input; every mistake becomes a 400 with its own code. */
final class OrderRequests {

  private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  /** Plain decimal notation only: no sign, exponent, spaces or thousands separators. */
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,16}(\\.[0-9]{1,16})?");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Set<String> ORDER_FIELDS =
      Set.of("orderId", "accountId", "amount", "currency", "redeemPoints");
  static final int DEFAULT_LIST_LIMIT = 100;
  static final int MAX_LIST_LIMIT = 1000;

  private OrderRequests() {}

  static String orderId(String value) {
    if (value == null || !ORDER_ID.matcher(value).matches()) {
      throw InvalidRequestException.badRequest(
          "invalid_order_id", "order ids are 1-128 characters of [A-Za-z0-9._:@-]");
    }
    return value;
  }

  /** The body of {@code POST /v1/orders}. */
  static PlaceOrder placeOrder(String body) {
    JsonNode json = RequestChecks.jsonObject(body, ORDER_FIELDS);
    String orderId = orderId(text(json, "orderId", "invalid_order_id"));
    String accountId = RequestChecks.accountId(text(json, "accountId", "invalid_account_id"));
    BigDecimal amount = amount(json);
    String currency = text(json, "currency", "invalid_currency");
    if (!CURRENCY.matcher(currency).matches()) {
      throw InvalidRequestException.badRequest(
          "invalid_currency",
          "'currency' must be an ISO 4217 code of three capital letters, e.g. EUR");
    }
    long redeem =
        json.has("redeemPoints") && !json.get("redeemPoints").isNull()
            ? RequestChecks.longField(
                json, "redeemPoints", 0, PlaceOrder.MAX_REDEEM, "invalid_redeem_points")
            : 0;
    return new PlaceOrder(orderId, accountId, amount, currency, redeem);
  }

  /** The body of a cancellation: none, or an empty JSON object. */
  static void emptyBody(String body) {
    if (!body.isBlank()) {
      RequestChecks.jsonObject(body, Set.of());
    }
  }

  static Optional<OverdraftState> overdraftState(Optional<String> value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OverdraftState.valueOf(value.get().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.badRequest(
          "invalid_state", "state must be one of OPEN, SETTLED, CHARGED");
    }
  }

  static int limit(Optional<String> value) {
    if (value.isEmpty()) {
      return DEFAULT_LIST_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value.get());
      if (limit >= 1 && limit <= MAX_LIST_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw InvalidRequestException.badRequest(
        "invalid_limit", "limit must be a whole number in 1.." + MAX_LIST_LIMIT);
  }

  private static BigDecimal amount(JsonNode json) {
    String text = text(json, "amount", "invalid_amount");
    String rule = "'amount' must be a decimal string above 0 and at most 1000000, with at most two"
        + " decimals, e.g. \"59.90\"";
    if (!DECIMAL.matcher(text).matches()) {
      throw InvalidRequestException.badRequest("invalid_amount", rule);
    }
    BigDecimal amount = new BigDecimal(text);
    if (amount.signum() <= 0
        || amount.compareTo(PlaceOrder.MAX_AMOUNT) > 0
        || amount.stripTrailingZeros().scale() > 2) {
      throw InvalidRequestException.badRequest("invalid_amount", rule);
    }
    return amount;
  }

  /** A required JSON string; {@code code} when it is absent or of another type. */
  private static String text(JsonNode json, String field, String code) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      throw InvalidRequestException.badRequest(code, "'" + field + "' is required");
    }
    if (!value.isTextual()) {
      throw InvalidRequestException.badRequest(code, "'" + field + "' must be a JSON string");
    }
    return value.textValue();
  }
}
