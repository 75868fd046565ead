CREATE TABLE "fee_totals" (
	"unit" text NOT NULL,
	"backend" integer NOT NULL,
	"fees" numeric DEFAULT 0 NOT NULL,
	CONSTRAINT "fee_totals_unit_backend_pk" PRIMARY KEY("unit","backend")
);
--> statement-breakpoint
CREATE TABLE "keyset_totals" (
	"keyset_id" text NOT NULL,
	"backend" integer NOT NULL,
	"signed" numeric DEFAULT 0 NOT NULL,
	"spent" numeric DEFAULT 0 NOT NULL,
	CONSTRAINT "keyset_totals_keyset_id_backend_pk" PRIMARY KEY("keyset_id","backend")
);
--> statement-breakpoint
-- Every running total computed from the rows stored so far (packages/storage/src/ledger-totals.ts):
-- signed and spent per keyset id; fees per unit from swaps (inputs minus outputs of an operation
-- that is neither a melt nor a redemption) and from receipts. Paid melts' fees are read from
-- melt_sagas by the report itself.
CREATE FUNCTION "rebuild_ledger_totals"() RETURNS void LANGUAGE sql AS $$
  DELETE FROM keyset_totals;
  DELETE FROM fee_totals;
  INSERT INTO keyset_totals (keyset_id, backend, signed, spent)
    SELECT keyset_id, 0, sum(signed), sum(spent) FROM (
      SELECT keyset_id, amount AS signed, 0 AS spent FROM blind_signatures
      UNION ALL
      SELECT keyset_id, 0, amount FROM proofs WHERE state = 'SPENT') rows
    GROUP BY keyset_id;
  INSERT INTO fee_totals (unit, backend, fees)
    SELECT unit, 0, sum(fee) FROM (
      SELECT spent.unit, spent.amount - signed.amount AS fee
      FROM (SELECT p.operation_id, k.unit, sum(p.amount) AS amount
            FROM proofs p JOIN keysets k ON k.id = p.keyset_id
            WHERE p.state = 'SPENT' GROUP BY 1, 2) spent
      JOIN (SELECT operation_id, sum(amount) AS amount FROM blind_signatures GROUP BY 1) signed
        ON signed.operation_id = spent.operation_id
      WHERE spent.operation_id NOT IN (SELECT id FROM melt_sagas)
        AND spent.operation_id NOT IN (SELECT id FROM receipts)
      UNION ALL
      SELECT unit, fee FROM receipts) fees
    GROUP BY unit;
$$;
--> statement-breakpoint
SELECT "rebuild_ledger_totals"();
