-- The publisher reads pending rows in (bucket, account) order through this index. With every
-- column it reads in the index, the database answers from the index alone instead of looking
-- each row up by its primary key: on H2 those lookups were ~60 % of the publisher's CPU while a
-- backlog drained (bench/README.md, session 5). A commit that changes a row already pending now
-- rewrites its index entry too (the first commit after a publish already did: pending changes).
DROP INDEX ledger_row_pending;
CREATE INDEX ledger_row_pending
  ON ledger_row (pending, bucket, account_id, credited, debited, version, published_version);
