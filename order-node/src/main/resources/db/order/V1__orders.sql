-- The order service's tables, in the writer's own database: an order, its idempotency record and
-- its ledger row change commit in one transaction. Dialect-neutral: H2 2.3 and PostgreSQL 15.
-- Flyway history: order_schema_history (the writer keeps its own, writer_schema_history).

-- One row per order this node took. Points and row versions are whole numbers; amounts are
-- decimals with cents. earn_version / reverse_version: the version of this writer's ledger row
-- that the credit / the clawback produced (NULL when no points moved), i.e. the read token.
CREATE TABLE customer_order (
  order_id                VARCHAR(128)  NOT NULL PRIMARY KEY,
  account_id              VARCHAR(128)  NOT NULL,
  amount                  DECIMAL(12,2) NOT NULL CHECK (amount > 0),
  currency                VARCHAR(3)    NOT NULL,
  status                  VARCHAR(16)   NOT NULL CHECK (status IN ('PLACED', 'CANCELLED')),
  points_earned           BIGINT        NOT NULL CHECK (points_earned >= 0),
  earn_version            BIGINT,
  placed_key              VARCHAR(255)  NOT NULL,
  placed_at               TIMESTAMP WITH TIME ZONE NOT NULL,
  points_reversed         BIGINT        CHECK (points_reversed >= 0),
  reverse_version         BIGINT,
  cancel_key              VARCHAR(255),
  cancelled_at            TIMESTAMP WITH TIME ZONE,
  -- Set by a cancellation that clawed points back; cleared once the overdraft policy has looked
  -- at the account's balance after it (a crash in between leaves it set for the sweep).
  overdraft_check_pending BOOLEAN       NOT NULL,
  CHECK ((status = 'PLACED' AND points_reversed IS NULL AND cancelled_at IS NULL)
      OR (status = 'CANCELLED' AND points_reversed IS NOT NULL AND cancelled_at IS NOT NULL))
);
CREATE INDEX customer_order_account ON customer_order (account_id, status);
CREATE INDEX customer_order_check ON customer_order (overdraft_check_pending, account_id);

-- Deficits this writer registered: a clawback of its own drove an account below zero.
-- open_account is the account while the record is OPEN and NULL afterwards, so that the unique
-- constraint allows one open record per account (NULLs are distinct in both databases).
-- event_id: the stable id of the notification, created with the record.
CREATE TABLE overdraft (
  overdraft_id    VARCHAR(36)   NOT NULL PRIMARY KEY,
  account_id      VARCHAR(128)  NOT NULL,
  open_account    VARCHAR(128)  UNIQUE,
  deficit         BIGINT        NOT NULL CHECK (deficit > 0),
  opened_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  state           VARCHAR(16)   NOT NULL CHECK (state IN ('OPEN', 'SETTLED', 'CHARGED')),
  event_id        VARCHAR(36)   NOT NULL UNIQUE,
  notified        BOOLEAN       NOT NULL,
  notify_attempts INT           NOT NULL CHECK (notify_attempts >= 0),
  charge_amount   DECIMAL(20,2),
  charge_currency VARCHAR(3),
  closed_at       TIMESTAMP WITH TIME ZONE,
  CHECK ((state = 'OPEN' AND open_account IS NOT NULL AND closed_at IS NULL)
      OR (state <> 'OPEN' AND open_account IS NULL AND closed_at IS NOT NULL))
);
CREATE INDEX overdraft_account ON overdraft (account_id, opened_at);
CREATE INDEX overdraft_state ON overdraft (state, opened_at);

-- The charge of a deficit, written in the transaction that posts its settlement credit. The
-- primary key makes a second charge of one deficit impossible, whatever runs concurrently.
CREATE TABLE overdraft_charge (
  overdraft_id       VARCHAR(36)   NOT NULL PRIMARY KEY,
  account_id         VARCHAR(128)  NOT NULL,
  points             BIGINT        NOT NULL CHECK (points > 0),
  amount             DECIMAL(20,2) NOT NULL CHECK (amount >= 0),
  currency           VARCHAR(3)    NOT NULL,
  settlement_version BIGINT        NOT NULL,
  charged_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  FOREIGN KEY (overdraft_id) REFERENCES overdraft (overdraft_id)
);
CREATE INDEX overdraft_charge_account ON overdraft_charge (account_id);
