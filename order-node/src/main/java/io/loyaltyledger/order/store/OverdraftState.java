package io.loyaltyledger.order.store;

/** Where a registered deficit stands. */
public enum OverdraftState {
  /** The account is still below zero and the grace period runs. */
  OPEN,
  /** The balance came back to zero or more before the grace period ended: nothing to pay. */
  SETTLED,
  /** The grace period ended: the deficit was charged and credited back, in one transaction. */
  CHARGED
}
