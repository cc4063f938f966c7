-- The writer's own database: the source of truth for the rows this writer authors.
-- Dialect-neutral on purpose: the same script runs on H2 2.3 and PostgreSQL 15.

-- Who this database is. Exactly one row, written when the database is created.
-- incarnation: random UUID without dashes, never changed; a wiped or copied database gets a new
-- one and so becomes a new writer. epoch/verified drive healing after a restore (see LedgerRows).
CREATE TABLE writer_identity (
  id          INT          NOT NULL PRIMARY KEY CHECK (id = 1),
  incarnation VARCHAR(32)  NOT NULL CHECK (CHAR_LENGTH(incarnation) = 32),
  writer_name VARCHAR(64)  NOT NULL,
  buckets     INT          NOT NULL CHECK (buckets > 0),
  epoch       BIGINT       NOT NULL CHECK (epoch > 0),
  verified    BOOLEAN      NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

-- This writer's row of each account, as replicated: every counter only grows.
-- pending = (version > published_version), kept in the same statements that change either.
-- epoch/base_*: the row's values when it was first changed in the given healing epoch.
CREATE TABLE ledger_row (
  account_id        VARCHAR(128) NOT NULL PRIMARY KEY,
  bucket            INT          NOT NULL,
  credited          BIGINT       NOT NULL,
  debited           BIGINT       NOT NULL,
  version           BIGINT       NOT NULL,
  published_version BIGINT       NOT NULL,
  pending           BOOLEAN      NOT NULL,
  epoch             BIGINT       NOT NULL,
  base_credited     BIGINT       NOT NULL,
  base_debited      BIGINT       NOT NULL,
  base_version      BIGINT       NOT NULL,
  CHECK (credited >= 0 AND debited >= 0 AND version >= 0 AND published_version >= 0)
);
CREATE INDEX ledger_row_bucket ON ledger_row (bucket, account_id);
CREATE INDEX ledger_row_pending ON ledger_row (pending, bucket, account_id);

-- Escrow rights this writer sent to other writers for an account (the row's "sent" map).
-- Changed only together with its ledger_row, under that row's lock.
CREATE TABLE ledger_row_sent (
  account_id  VARCHAR(128) NOT NULL,
  to_writer   VARCHAR(200) NOT NULL,
  amount      BIGINT       NOT NULL CHECK (amount >= 0),
  base_amount BIGINT       NOT NULL,
  epoch       BIGINT       NOT NULL,
  PRIMARY KEY (account_id, to_writer),
  FOREIGN KEY (account_id) REFERENCES ledger_row (account_id)
);

-- The first response to each idempotency key, stored in the transaction that had the effect.
CREATE TABLE idempotency_record (
  idem_key    VARCHAR(255) NOT NULL PRIMARY KEY,
  fingerprint VARCHAR(64)  NOT NULL,
  status      INT          NOT NULL,
  response    TEXT,
  created_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
-- Retention deletes by age.
CREATE INDEX idempotency_record_created ON idempotency_record (created_at);

-- Administrative adjustments (a business record, one per effective command).
CREATE TABLE adjustment (
  adjustment_id VARCHAR(36)  NOT NULL PRIMARY KEY,
  account_id    VARCHAR(128) NOT NULL,
  points        BIGINT       NOT NULL,
  reason        VARCHAR(500) NOT NULL,
  idem_key      VARCHAR(255) NOT NULL,
  row_version   BIGINT       NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX adjustment_account ON adjustment (account_id, row_version);
