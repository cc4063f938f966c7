package io.loyaltyledger.order.http;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.loyaltyledger.ledger.http.ApiDirectives;
import io.loyaltyledger.ledger.http.ApiError;
import io.loyaltyledger.ledger.http.IdempotentAnswers;
import io.loyaltyledger.ledger.http.Json;
import io.loyaltyledger.ledger.http.RequestChecks;
import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.loyaltyledger.order.compensation.OrderCancellation;
import io.loyaltyledger.order.intake.OrderIntake;
import io.loyaltyledger.order.intake.PlaceOrder;
import io.loyaltyledger.order.store.OrderRecords;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * {@code POST /v1/orders} (place), {@code GET /v1/orders/{id}} (read) and
 * {@code POST /v1/orders/{id}/cancel}. Orders live in the database of the node that took them.
 */
public final class OrderRoutes extends ApiDirectives {

  private final OrderIntake intake;
  private final OrderCancellation cancellation;
  private final WriterDatabase db;
  private final Executor jdbc;
  private final BooleanSupplier ready;

  public OrderRoutes(
      OrderIntake intake,
      OrderCancellation cancellation,
      WriterDatabase db,
      Executor jdbc,
      BooleanSupplier ready) {
    this.intake = intake;
    this.cancellation = cancellation;
    this.db = db;
    this.jdbc = jdbc;
    this.ready = ready;
  }

  public Route routes() {
    return pathPrefix(
        PathMatchers.segment("v1").slash("orders"),
        () ->
            concat(
                pathEndOrSingleSlash(() -> post(this::place)),
                pathPrefix(
                    PathMatchers.segment(),
                    rawId ->
                        concat(
                            pathEndOrSingleSlash(
                                () -> get(() -> read(OrderRequests.orderId(rawId)))),
                            path(
                                "cancel",
                                () -> post(() -> cancel(OrderRequests.orderId(rawId))))))));
  }

  private Route place() {
    return optionalHeaderValueByName(
        "Idempotency-Key",
        header -> {
          String key = RequestChecks.idempotencyKey(header);
          return jsonBody(
              body -> {
                PlaceOrder order = OrderRequests.placeOrder(body);
                if (!ready.getAsBoolean()) {
                  return complete(ApiError.notReady().toResponse());
                }
                return answer(
                    CompletableFuture.supplyAsync(
                        () -> IdempotentAnswers.toResponse(intake.place(key, order)), jdbc));
              });
        });
  }

  private Route read(String orderId) {
    return answer(
        CompletableFuture.supplyAsync(
                () -> db.inTransaction(tx -> OrderRecords.find(tx, orderId)), jdbc)
            .thenApply(
                order ->
                    order
                        .map(o -> Json.ok(OrderView.of(o, db.writerKey().value())))
                        .orElseGet(() -> notFound(orderId).toResponse())));
  }

  private Route cancel(String orderId) {
    return optionalHeaderValueByName(
        "Idempotency-Key",
        header -> {
          String key = RequestChecks.idempotencyKey(header);
          return optionalBody(
              body -> {
                OrderRequests.emptyBody(body);
                if (!ready.getAsBoolean()) {
                  return complete(ApiError.notReady().toResponse());
                }
                return answer(
                    CompletableFuture.supplyAsync(
                        () -> IdempotentAnswers.toResponse(cancellation.cancel(key, orderId)),
                        jdbc));
              });
        });
  }

  /** No body at all, or a JSON one (checked like every JSON body). */
  private Route optionalBody(Function<String, Route> inner) {
    return extractRequestEntity(
        entity -> entity.isKnownEmpty() ? inner.apply("") : jsonBody(inner));
  }

  static ApiError notFound(String orderId) {
    return ApiError.notFound(
        "order_not_found",
        "no order " + orderId + " on this node; orders are kept by the node that took them");
  }
}
