-- Spend accounting for Stripe (and any vendor sending spend signals): a refund names the payment it
-- gives money back on, so it subtracts only while that payment counts and never more than it; a
-- cumulative refund row holds the running total refunded on its payment (Stripe's
-- charge.amount_refunded), kept at the highest value seen whatever order the events came in.

ALTER TABLE vendor_payments ADD COLUMN refund_of text;
ALTER TABLE vendor_payments ADD COLUMN cumulative boolean NOT NULL DEFAULT false;
CREATE INDEX vendor_payments_refund_of ON vendor_payments (workspace_id, vendor, refund_of) WHERE refund_of IS NOT NULL;
