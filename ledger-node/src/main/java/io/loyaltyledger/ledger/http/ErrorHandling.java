package io.loyaltyledger.ledger.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.MalformedQueryParamRejection;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.Rejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import akka.http.scaladsl.model.EntityStreamSizeException;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every rejection, exception and request timeout into a JSON error with a stable code. */
public final class ErrorHandling extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

  private final RejectionHandler rejections =
      RejectionHandler.newBuilder()
          .handleAll(
              MethodRejection.class,
              (List<MethodRejection> rs) ->
                  complete(
                      new ApiError(
                              StatusCodes.METHOD_NOT_ALLOWED,
                              "method_not_allowed",
                              "allowed: "
                                  + rs.stream()
                                      .map(r -> r.supported().name())
                                      .collect(Collectors.joining(", ")))
                          .toResponse()))
          .handle(
              MalformedQueryParamRejection.class,
              r ->
                  complete(
                      ApiError.badRequest("invalid_parameter", r.errorMsg()).toResponse()))
          .handle(
              UnsupportedRequestContentTypeRejection.class,
              r ->
                  complete(
                      new ApiError(
                              StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                              "unsupported_media_type",
                              "the body must be application/json")
                          .toResponse()))
          .handleNotFound(
              complete(ApiError.notFound("not_found", "no such resource").toResponse()))
          .handleAll(
              Rejection.class,
              rs -> complete(ApiError.badRequest("bad_request", "the request is not valid: " + rs).toResponse()))
          .build();

  private final ExceptionHandler exceptions =
      ExceptionHandler.newBuilder()
          .match(
              InvalidRequestException.class, e -> complete(e.error().toResponse()))
          .match(
              EntityStreamSizeException.class,
              e -> complete(ApiDirectives.payloadTooLarge().toResponse()))
          .matchAny(e -> complete(ApiDirectives.errorResponse(e)))
          .build();

  public Route wrap(Supplier<Route> inner) {
    return handleExceptions(exceptions, () -> handleRejections(rejections, inner));
  }

  /**
   * Answers a request still running at {@code akka.http.server.request-timeout} with JSON too.
   * Its work goes on: a write may still be applied, so the caller retries it with the same key.
   */
  public Route answeringTimeouts(Supplier<Route> inner) {
    return withRequestTimeoutResponse(ErrorHandling::timedOut, inner);
  }

  private static HttpResponse timedOut(HttpRequest request) {
    log.warn("No answer to {} {} within the request timeout", request.method().value(),
        request.getUri().path());
    return ApiError.unavailable(
            "request_timeout",
            "the node did not answer in time; a write may still be applied:"
                + " retry it with the same Idempotency-Key")
        .toResponse();
  }
}
