-- Quotes record the payment backend that made or pays them, so a mint with several backends checks
-- and pays each quote where it belongs; rows from before are served by the backend of their method
-- and unit.
ALTER TABLE "melt_quotes" ADD COLUMN "backend" text;--> statement-breakpoint
ALTER TABLE "mint_quotes" ADD COLUMN "backend" text;