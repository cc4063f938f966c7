package io.loyaltyledger.order.store;

/** The life of an order: placed (points earned), then possibly cancelled (points clawed back). */
public enum OrderStatus {
  PLACED,
  CANCELLED
}
