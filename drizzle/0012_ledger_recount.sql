-- The running totals' recount as two read-only functions, so that the mint can compare the totals
-- with the rows (and correct a drift) without rewriting them, and rebuild_ledger_totals() (0010)
-- computes from the same two (packages/storage/src/ledger-totals.ts).
CREATE FUNCTION "ledger_recount_keysets"() RETURNS TABLE (keyset_id text, signed numeric, spent numeric)
LANGUAGE sql STABLE AS $$
  SELECT keyset_id, sum(signed), sum(spent) FROM (
    SELECT keyset_id, amount AS signed, 0 AS spent FROM blind_signatures
    UNION ALL
    SELECT keyset_id, 0, amount FROM proofs WHERE state = 'SPENT') rows
  GROUP BY keyset_id;
$$;
--> statement-breakpoint
CREATE FUNCTION "ledger_recount_fees"() RETURNS TABLE (unit text, fees numeric)
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
    SELECT unit, fee FROM receipts) fees
  GROUP BY unit;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "rebuild_ledger_totals"() RETURNS void LANGUAGE sql AS $$
  DELETE FROM keyset_totals;
  DELETE FROM fee_totals;
  INSERT INTO keyset_totals (keyset_id, backend, signed, spent)
    SELECT keyset_id, 0, signed, spent FROM ledger_recount_keysets();
  INSERT INTO fee_totals (unit, backend, fees) SELECT unit, 0, fees FROM ledger_recount_fees();
$$;
