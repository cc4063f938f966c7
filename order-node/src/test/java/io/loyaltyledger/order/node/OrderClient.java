package io.loyaltyledger.order.node;

import io.loyaltyledger.ledger.node.ApiClient;
import io.loyaltyledger.ledger.node.ApiClient.Answer;

/** The order API of one node, over a real socket, with the test nodes' write token. */
public final class OrderClient {

  private final ApiClient api;

  public OrderClient(int port) {
    this(new ApiClient(port));
  }

  private OrderClient(ApiClient api) {
    this.api = api;
  }

  /** The same node with another bearer token; {@code null}: none at all. */
  public OrderClient withToken(String bearerToken) {
    return new OrderClient(api.withToken(bearerToken));
  }

  public ApiClient api() {
    return api;
  }

  public Answer place(String key, String orderId, String accountId, String amount) {
    return place(key, orderId, accountId, amount, "EUR");
  }

  public Answer place(String key, String orderId, String accountId, String amount, String currency) {
    return api.post(
        "/v1/orders",
        key,
        "{\"orderId\":\"" + orderId + "\",\"accountId\":\"" + accountId + "\",\"amount\":\""
            + amount + "\",\"currency\":\"" + currency + "\"}");
  }

  /** An order that redeems {@code redeemPoints} points. */
  public Answer redeem(String key, String orderId, String accountId, String amount, long redeemPoints) {
    return api.post(
        "/v1/orders",
        key,
        "{\"orderId\":\"" + orderId + "\",\"accountId\":\"" + accountId + "\",\"amount\":\""
            + amount + "\",\"currency\":\"EUR\",\"redeemPoints\":" + redeemPoints + "}");
  }

  /** The account as this node sees it: balance, available (its own rights), writers. */
  public com.fasterxml.jackson.databind.JsonNode account(String accountId) {
    return api.get("/v1/accounts/" + accountId).json();
  }

  public Answer cancel(String orderId, String key) {
    return api.post("/v1/orders/" + orderId + "/cancel", key, "{}");
  }

  public Answer order(String orderId) {
    return api.get("/v1/orders/" + orderId);
  }

  public Answer overdrafts(String accountId) {
    return api.get("/v1/overdrafts?accountId=" + accountId);
  }

  public long balance(String accountId) {
    return api.balance(accountId);
  }
}
