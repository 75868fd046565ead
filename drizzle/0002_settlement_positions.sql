CREATE TABLE "settlement_positions" (
	"backend" text PRIMARY KEY NOT NULL,
	"position" numeric(20, 0) NOT NULL,
	"updated_at" bigint NOT NULL
);
