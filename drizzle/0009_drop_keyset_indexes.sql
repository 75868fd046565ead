DROP INDEX "blind_signatures_keyset_idx";--> statement-breakpoint
DROP INDEX "proofs_keyset_idx";