package io.loyaltyledger.ledger.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import io.loyaltyledger.ledger.writer.IdempotentResult;
import io.loyaltyledger.ledger.writer.RejectedCommand;

/** Maps the outcome of an idempotent command to its HTTP answer. */
public final class IdempotentAnswers {

  private IdempotentAnswers() {}

  public static HttpResponse toResponse(IdempotentResult result) {
    if (result instanceof IdempotentResult.Executed executed) {
      return Json.rawResponse(StatusCodes.get(executed.response().status()), executed.response().body());
    }
    if (result instanceof IdempotentResult.Replayed replayed) {
      return Json.rawResponse(StatusCodes.get(replayed.response().status()), replayed.response().body())
          .addHeader(akka.http.javadsl.model.HttpHeader.parse("Idempotent-Replayed", "true"));
    }
    return ApiError.idempotencyKeyReused().toResponse();
  }

  public static HttpResponse rejected(RejectedCommand rejection) {
    return new ApiError(StatusCodes.get(rejection.status()), rejection.errorCode(), rejection.getMessage(),
            rejection.details())
        .toResponse();
  }
}
