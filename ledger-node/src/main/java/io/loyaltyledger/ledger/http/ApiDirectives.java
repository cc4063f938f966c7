package io.loyaltyledger.ledger.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.pattern.AskTimeoutException;
import io.loyaltyledger.ledger.replica.ReplicaUnavailableException;
import io.loyaltyledger.ledger.writer.RejectedCommand;
import io.loyaltyledger.ledger.writer.WriterBusyException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/** Directives every route set of the API shares: JSON bodies and answers from futures. */
public abstract class ApiDirectives extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ApiDirectives.class);
  private static final FiniteDuration BODY_TIMEOUT = FiniteDuration.create(5, TimeUnit.SECONDS);

  /** The largest request body the API accepts. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  /** Hands the body as text to {@code inner} when it is JSON and not too large. */
  protected Route jsonBody(Function<String, Route> inner) {
    return extractRequestEntity(
        entity -> {
          if (!entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            return complete(
                new ApiError(
                        StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                        "unsupported_media_type",
                        "the body must be sent as Content-Type: application/json")
                    .toResponse());
          }
          if (entity.getContentLengthOption().orElse(0L) > MAX_BODY_BYTES) {
            return complete(payloadTooLarge().toResponse());
          }
          return withSizeLimit(
              MAX_BODY_BYTES,
              () ->
                  extractStrictEntity(
                      BODY_TIMEOUT, MAX_BODY_BYTES, strict -> inner.apply(strict.getData().utf8String())));
        });
  }

  /** Completes with the future's answer; failures become error answers, never stack traces. */
  protected Route answer(CompletionStage<HttpResponse> response) {
    return completeWithFuture(response.exceptionally(ApiDirectives::errorResponse));
  }

  static ApiError payloadTooLarge() {
    return new ApiError(
        StatusCodes.PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "the body is larger than " + MAX_BODY_BYTES + " bytes");
  }

  static HttpResponse errorResponse(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof InvalidRequestException invalid) {
      return invalid.error().toResponse();
    }
    if (cause instanceof RejectedCommand rejected) {
      return IdempotentAnswers.rejected(rejected);
    }
    if (cause instanceof ReplicaUnavailableException unavailable) {
      return ApiError.unavailable("replica_unavailable", unavailable.getMessage()).toResponse();
    }
    if (cause instanceof WriterBusyException busy) {
      log.warn("Writer database busy: {}", busy.getMessage());
      return ApiError.unavailable(
              "writer_busy",
              "the node's database could not take the request now and wrote nothing of it;"
                  + " retry shortly with the same Idempotency-Key")
          .toResponse();
    }
    if (cause instanceof AskTimeoutException) {
      // The local replicator did not answer in time: an overloaded node, worth a retry elsewhere.
      return ApiError.unavailable("replica_unavailable", "the replica did not answer in time")
          .toResponse();
    }
    log.error("Request failed", cause);
    return new ApiError(
            StatusCodes.INTERNAL_SERVER_ERROR, "internal_error", "the node failed to answer; see its log")
        .toResponse();
  }
}
