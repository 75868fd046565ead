-- Change proofs the mint makes now have secrets derived from the seed (none are stored). Receipts
-- from before this, whose random change secrets are dropped here, replay their change as blind signatures.
ALTER TABLE "receipts" DROP COLUMN "change_secrets";