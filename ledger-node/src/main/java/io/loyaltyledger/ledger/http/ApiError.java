package io.loyaltyledger.ledger.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer: {@code {"error": "<stable code>", "message": "…"}}. Codes are part of the API;
 * messages are for people.
 */
public record ApiError(StatusCode status, String code, String message, Map<String, Object> details) {

  public ApiError(StatusCode status, String code, String message) {
    this(status, code, message, Map.of());
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(StatusCodes.BAD_REQUEST, code, message);
  }

  public static ApiError notFound(String code, String message) {
    return new ApiError(StatusCodes.NOT_FOUND, code, message);
  }

  public static ApiError conflict(String code, String message) {
    return new ApiError(StatusCodes.CONFLICT, code, message);
  }

  public static ApiError unprocessable(String code, String message) {
    return new ApiError(StatusCodes.UNPROCESSABLE_ENTITY, code, message);
  }

  public static ApiError unavailable(String code, String message) {
    return new ApiError(StatusCodes.SERVICE_UNAVAILABLE, code, message);
  }

  public static ApiError idempotencyKeyReused() {
    return unprocessable(
        "idempotency_key_reused",
        "this Idempotency-Key was already used for a different request; use a new key");
  }

  public static ApiError notReady() {
    return unavailable(
        "not_ready", "the node is starting: its writer has not been reconciled yet; retry shortly");
  }

  public HttpResponse toResponse() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    body.putAll(details);
    return Json.response(status, body);
  }
}
