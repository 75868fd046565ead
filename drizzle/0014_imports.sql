-- Mints taken over with cashu-mint import, and the books they kept: the input fees the old mint had
-- earned count in the fee recount (ledger_recount_fees, 0012), which its rows cannot show again.
CREATE TABLE "imported_books" (
	"import_id" text NOT NULL,
	"keyset_id" text NOT NULL,
	"unit" text NOT NULL,
	"issued" numeric NOT NULL,
	"redeemed" numeric NOT NULL,
	"fees" numeric NOT NULL,
	CONSTRAINT "imported_books_import_id_keyset_id_pk" PRIMARY KEY("import_id","keyset_id")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"fingerprint" text NOT NULL,
	"counts" jsonb NOT NULL,
	"imported_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "imported_books" ADD CONSTRAINT "imported_books_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "imports_fingerprint_key" ON "imports" USING btree ("fingerprint");--> statement-breakpoint
CREATE OR REPLACE FUNCTION "ledger_recount_fees"() RETURNS TABLE (unit text, fees numeric)
LANGUAGE sql STABLE AS $$
  SELECT unit, sum(fee) FROM (
    SELECT spent.unit, spent.amount - signed.amount AS fee
    FROM (SELECT p.operation_id, k.unit, sum(p.amount) AS amount
          FROM proofs p JOIN keysets k ON k.id = p.keyset_id
          WHERE p.state = 'SPENT' GROUP BY 1, 2) spent
    JOIN (SELECT operation_id, sum(amount) AS amount FROM blind_signatures GROUP BY 1) signed
      ON signed.operation_id = spent.operation_id
    WHERE spent.operation_id NOT IN (SELECT id FROM melt_sagas)
      AND spent.operation_id NOT IN (SELECT id FROM receipts)
    UNION ALL
    SELECT unit, fee FROM receipts
    UNION ALL
    SELECT unit, fees FROM imported_books) fees
  GROUP BY unit;
$$;
