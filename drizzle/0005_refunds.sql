CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"receipt_id" text NOT NULL,
	"unit" text NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"outputs" jsonb NOT NULL,
	"reason" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "change_by_mint" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_receipt_id_receipts_id_fk" FOREIGN KEY ("receipt_id") REFERENCES "public"."receipts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_receipt_id_key" ON "refunds" USING btree ("receipt_id");--> statement-breakpoint
CREATE INDEX "refunds_created_idx" ON "refunds" USING btree ("created_at");