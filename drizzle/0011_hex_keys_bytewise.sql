-- proofs_operation_idx: no query reads proofs by operation (each finds them by Y), and it cost an
-- index entry for every spent proof.
DROP INDEX "proofs_operation_idx";--> statement-breakpoint
-- The keys that every swap, checkstate and restore looks up, compared byte by byte ("C") instead of
-- through the database's locale. Only their indexes are rebuilt, not the tables: at 10M spent
-- proofs this took 16 s on a 2-core VM (docs/operator.md, "Upgrading").
ALTER TABLE "auth_proofs" ALTER COLUMN "y" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "blind_signatures" ALTER COLUMN "b_" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "proofs" ALTER COLUMN "y" SET DATA TYPE text COLLATE "C";
