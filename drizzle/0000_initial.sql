CREATE TABLE "blind_signatures" (
	"b_" text PRIMARY KEY NOT NULL,
	"keyset_id" text NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"c_" text NOT NULL,
	"dleq_e" text NOT NULL,
	"dleq_s" text NOT NULL,
	"operation_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "keysets" (
	"id" text PRIMARY KEY NOT NULL,
	"unit" text NOT NULL,
	"derivation_path" text NOT NULL,
	"amount_count" integer NOT NULL,
	"input_fee_ppk" numeric(20, 0) NOT NULL,
	"final_expiry" bigint,
	"active" boolean NOT NULL,
	"alias_of" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "melt_quotes" (
	"id" text PRIMARY KEY NOT NULL,
	"method" text NOT NULL,
	"unit" text NOT NULL,
	"request" text NOT NULL,
	"payment_hash" text NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"fee_reserve" numeric(20, 0) NOT NULL,
	"amount_msat" numeric(20, 0) NOT NULL,
	"state" text NOT NULL,
	"expiry" bigint NOT NULL,
	"preimage" text,
	"fee_paid" numeric(20, 0),
	"internal_mint_quote_id" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "melt_sagas" (
	"id" text PRIMARY KEY NOT NULL,
	"quote_id" text NOT NULL,
	"state" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mint_quotes" (
	"id" text PRIMARY KEY NOT NULL,
	"method" text NOT NULL,
	"unit" text NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"request" text NOT NULL,
	"payment_hash" text NOT NULL,
	"state" text NOT NULL,
	"expiry" bigint NOT NULL,
	"pubkey" text,
	"description" text,
	"created_at" bigint NOT NULL,
	"paid_at" bigint,
	"issued_at" bigint
);
--> statement-breakpoint
CREATE TABLE "proofs" (
	"y" text PRIMARY KEY NOT NULL,
	"keyset_id" text NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"secret" text NOT NULL,
	"c" text NOT NULL,
	"witness" text,
	"state" text NOT NULL,
	"operation_id" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "blind_signatures_keyset_idx" ON "blind_signatures" USING btree ("keyset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "melt_quotes_one_payment_key" ON "melt_quotes" USING btree ("payment_hash") WHERE "melt_quotes"."state" in ('PENDING', 'PAID');--> statement-breakpoint
CREATE INDEX "melt_quotes_payment_hash_idx" ON "melt_quotes" USING btree ("payment_hash");--> statement-breakpoint
CREATE INDEX "melt_sagas_quote_idx" ON "melt_sagas" USING btree ("quote_id");--> statement-breakpoint
CREATE INDEX "melt_sagas_state_idx" ON "melt_sagas" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "mint_quotes_payment_hash_key" ON "mint_quotes" USING btree ("payment_hash");--> statement-breakpoint
CREATE INDEX "mint_quotes_state_idx" ON "mint_quotes" USING btree ("state");--> statement-breakpoint
CREATE INDEX "proofs_operation_idx" ON "proofs" USING btree ("operation_id");--> statement-breakpoint
CREATE INDEX "proofs_keyset_idx" ON "proofs" USING btree ("keyset_id");