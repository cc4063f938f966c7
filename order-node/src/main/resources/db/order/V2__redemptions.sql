-- Points redeemed by an order (debited from this writer's rights in the order's transaction),
-- and refunded (credited back) when it is cancelled. points_reversed stays the clawback of the
-- points the order earned: the overdraft policy counts only clawbacks.
ALTER TABLE customer_order ADD COLUMN points_redeemed BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE customer_order ADD COLUMN points_refunded BIGINT;
