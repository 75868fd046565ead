CREATE TABLE "auth_issuance" (
	"subject" text PRIMARY KEY NOT NULL,
	"bats" numeric(20, 0) NOT NULL,
	"requests" numeric(20, 0) NOT NULL,
	"window_start" bigint NOT NULL,
	"window_requests" integer NOT NULL,
	"last_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_proofs" (
	"y" text PRIMARY KEY NOT NULL,
	"keyset_id" text NOT NULL,
	"secret" text NOT NULL,
	"c" text NOT NULL,
	"state" text NOT NULL,
	"request_key" text NOT NULL,
	"endpoint" text NOT NULL,
	"reservation" text NOT NULL,
	"evidence" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "auth_proofs_pending_idx" ON "auth_proofs" USING btree ("created_at") WHERE "auth_proofs"."state" = 'PENDING';