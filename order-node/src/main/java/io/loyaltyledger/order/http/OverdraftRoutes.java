package io.loyaltyledger.order.http;

import akka.http.javadsl.server.Route;
import io.loyaltyledger.ledger.http.ApiDirectives;
import io.loyaltyledger.ledger.http.Json;
import io.loyaltyledger.ledger.http.RequestChecks;
import io.loyaltyledger.order.overdraft.OverdraftPolicy;
import io.loyaltyledger.order.store.OverdraftState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code GET /v1/overdrafts}: the deficits this node's writer registered. */
public final class OverdraftRoutes extends ApiDirectives {

  private final OverdraftPolicy policy;
  private final String writerKey;
  private final Executor jdbc;

  public OverdraftRoutes(OverdraftPolicy policy, String writerKey, Executor jdbc) {
    this.policy = policy;
    this.writerKey = writerKey;
    this.jdbc = jdbc;
  }

  public Route routes() {
    return path(
        akka.http.javadsl.server.PathMatchers.segment("v1").slash("overdrafts"),
        () ->
            get(
                () ->
                    parameterOptional(
                        "state",
                        state ->
                            parameterOptional(
                                "accountId",
                                account ->
                                    parameterOptional(
                                        "limit", limit -> list(state, account, limit))))));
  }

  private Route list(Optional<String> state, Optional<String> account, Optional<String> limit) {
    Optional<OverdraftState> wanted = OrderRequests.overdraftState(state);
    Optional<String> accountId = account.map(RequestChecks::accountId);
    int max = OrderRequests.limit(limit);
    return answer(
        CompletableFuture.supplyAsync(
            () ->
                Json.ok(
                    new OverdraftView(
                        writerKey,
                        policy.list(wanted, accountId, max).stream()
                            .map(OverdraftView.Entry::of)
                            .toList())),
            jdbc));
  }
}
