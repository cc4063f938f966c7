package io.loyaltyledger.ledger.http;

/** Thrown by request parsing: the caller's mistake, answered with the error it carries. */
public final class InvalidRequestException extends RuntimeException {

  private final ApiError error;

  public InvalidRequestException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public static InvalidRequestException badRequest(String code, String message) {
    return new InvalidRequestException(ApiError.badRequest(code, message));
  }

  public ApiError error() {
    return error;
  }
}
