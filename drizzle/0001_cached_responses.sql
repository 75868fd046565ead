CREATE TABLE "cached_responses" (
	"key" text PRIMARY KEY NOT NULL,
	"status" integer NOT NULL,
	"body" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cached_responses_created_idx" ON "cached_responses" USING btree ("created_at");