package io.loyaltyledger.ledger.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltyledger.ledger.escrow.OwnRights;
import io.loyaltyledger.ledger.replica.AccountReader;
import io.loyaltyledger.ledger.replica.ReadLevel;
import io.loyaltyledger.ledger.replica.ReadToken;
import io.loyaltyledger.ledger.writer.Adjustments;
import io.loyaltyledger.ledger.writer.IdempotentResult;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /v1/accounts/{id}} (balances from the replica) and
 * {@code POST /v1/accounts/{id}/adjustments} (administrative credits and debits).
 */
public final class AccountRoutes extends ApiDirectives {

  /** An adjustment moves at most 10^12 points, so no sum of them can overflow a long. */
  public static final long MAX_ADJUSTMENT = 1_000_000_000_000L;

  private static final int MAX_REASON = 500;

  private final String nodeName;
  private final AccountReader reader;
  private final Adjustments adjustments;
  private final OwnRights ownRights;
  private final ReadSettings settings;
  private final Executor jdbc;
  private final BooleanSupplier ready;

  public AccountRoutes(
      String nodeName,
      AccountReader reader,
      Adjustments adjustments,
      OwnRights ownRights,
      ReadSettings settings,
      Executor jdbc,
      BooleanSupplier ready) {
    this.nodeName = nodeName;
    this.reader = reader;
    this.adjustments = adjustments;
    this.ownRights = ownRights;
    this.settings = settings;
    this.jdbc = jdbc;
    this.ready = ready;
  }

  public Route routes() {
    return pathPrefix(
        PathMatchers.segment("v1").slash("accounts").slash(PathMatchers.segment()),
        rawId ->
            concat(
                pathEndOrSingleSlash(() -> get(() -> balance(RequestChecks.accountId(rawId)))),
                path("adjustments", () -> post(() -> adjust(RequestChecks.accountId(rawId))))));
  }

  private Route balance(String accountId) {
    return parameterOptional(
        "consistency",
        consistency ->
            parameterOptional(
                "after",
                after ->
                    parameterOptional(
                        "timeout",
                        timeout -> {
                          ReadLevel level = readLevel(consistency);
                          Optional<ReadToken> token = after.map(AccountRoutes::token);
                          Duration wait = waitFor(timeout);
                          return answer(
                              reader
                                  .read(accountId, level, token, wait)
                                  // this writer's own row comes from its database: off Akka
                                  .thenApplyAsync(
                                      account ->
                                          account
                                              .map(
                                                  a ->
                                                      Json.ok(
                                                          AccountView.of(
                                                              accountId, a, level.name(), nodeName,
                                                              ownRights.withOwnRow(a, accountId)
                                                                  .rights())))
                                              .orElseGet(
                                                  () ->
                                                      new ApiError(
                                                              StatusCodes.GATEWAY_TIMEOUT,
                                                              "not_yet_visible",
                                                              "token "
                                                                  + token.get()
                                                                  + " is not visible on "
                                                                  + nodeName
                                                                  + " after "
                                                                  + wait.toMillis()
                                                                  + " ms")
                                                          .toResponse()),
                                      jdbc));
                        })));
  }

  private Route adjust(String accountId) {
    return optionalHeaderValueByName(
        "Idempotency-Key",
        header -> {
          String key = RequestChecks.idempotencyKey(header);
          return jsonBody(
              body -> {
                JsonNode json = RequestChecks.jsonObject(body, Set.of("points", "reason"));
                long points =
                    RequestChecks.longField(
                        json, "points", -MAX_ADJUSTMENT, MAX_ADJUSTMENT, "invalid_points");
                if (points == 0) {
                  throw InvalidRequestException.badRequest(
                      "invalid_points", "'points' must not be zero");
                }
                String reason = RequestChecks.textField(json, "reason", MAX_REASON, "invalid_reason");
                if (!ready.getAsBoolean()) {
                  return complete(ApiError.notReady().toResponse());
                }
                return answer(
                    CompletableFuture.supplyAsync(
                        () -> IdempotentAnswers.toResponse(
                            adjustments.adjust(key, accountId, points, reason)),
                        jdbc));
              });
        });
  }

  private ReadLevel readLevel(Optional<String> consistency) {
    return ReadLevel.parse(consistency.orElse("local"), settings.quorumTimeout())
        .orElseThrow(
            () ->
                InvalidRequestException.badRequest(
                    "invalid_consistency", "consistency must be one of local, majority, all"));
  }

  private static ReadToken token(String text) {
    return ReadToken.parse(text)
        .orElseThrow(
            () ->
                InvalidRequestException.badRequest(
                    "invalid_token", "after must be a token <writerKey>:<version>, e.g. ledger-1@3f2a9c1e:17"));
  }

  private Duration waitFor(Optional<String> timeout) {
    if (timeout.isEmpty()) {
      return settings.defaultWait();
    }
    try {
      long millis = Long.parseLong(timeout.get());
      if (millis >= 0 && millis <= settings.maxWait().toMillis()) {
        return Duration.ofMillis(millis);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw InvalidRequestException.badRequest(
        "invalid_timeout",
        "timeout is in milliseconds, 0.." + settings.maxWait().toMillis());
  }
}
