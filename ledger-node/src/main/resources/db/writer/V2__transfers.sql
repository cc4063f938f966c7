-- Rights transfers this writer gave (it was the donor), one per transfer request id, written in
-- the transaction that raised ledger_row_sent: a retried request replays the amount given and
-- never moves rights twice. Only transfers that moved points are recorded.
CREATE TABLE transfer_given (
  transfer_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
  account_id   VARCHAR(128) NOT NULL,
  to_writer    VARCHAR(200) NOT NULL,
  asked        BIGINT       NOT NULL CHECK (asked > 0),
  given        BIGINT       NOT NULL CHECK (given > 0),
  row_version  BIGINT       NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX transfer_given_account ON transfer_given (account_id, to_writer);
