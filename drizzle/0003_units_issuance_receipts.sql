CREATE TABLE "issuances" (
	"quote_id" text PRIMARY KEY NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"unit" text NOT NULL,
	"reference" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receipts" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"key" text,
	"unit" text NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"input_amount" numeric(20, 0) NOT NULL,
	"fee" numeric(20, 0) NOT NULL,
	"change" numeric(20, 0) NOT NULL,
	"change_outputs" jsonb NOT NULL,
	"change_secrets" jsonb,
	"memo" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "melt_quotes" ADD COLUMN "rate" text;--> statement-breakpoint
-- Quotes from before rates were recorded were all in sat or msat.
UPDATE "melt_quotes" SET "rate" = CASE WHEN "unit" = 'msat' THEN '1/1' ELSE '1000/1' END;--> statement-breakpoint
ALTER TABLE "melt_quotes" ALTER COLUMN "rate" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "mint_quotes" ADD COLUMN "amount_msat" numeric(20, 0);--> statement-breakpoint
ALTER TABLE "mint_quotes" ADD COLUMN "rate" text;--> statement-breakpoint
UPDATE "mint_quotes" SET "rate" = CASE WHEN "unit" = 'msat' THEN '1/1' ELSE '1000/1' END,
  "amount_msat" = CASE WHEN "unit" = 'msat' THEN "amount" ELSE "amount" * 1000 END;--> statement-breakpoint
CREATE INDEX "issuances_created_idx" ON "issuances" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_token_hash_key" ON "receipts" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "receipts_created_idx" ON "receipts" USING btree ("created_at");