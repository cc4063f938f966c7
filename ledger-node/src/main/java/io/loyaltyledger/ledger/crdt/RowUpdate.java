package io.loyaltyledger.ledger.crdt;

import java.util.Objects;

/** A row to merge into a bucket: the absolute values of {@code writer}'s row for an account. */
public record RowUpdate(String accountId, WriterKey writer, Row row) {

  public RowUpdate {
    AccountIds.requireValid(accountId);
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(row, "row");
  }
}
