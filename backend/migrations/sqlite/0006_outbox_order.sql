-- Status updates go to Vipps in the order they happened, per payment: the worker looks
-- for an older pending update of the same payment before sending a batch.
CREATE INDEX outbox_payment ON outbox (payment_id, state);
