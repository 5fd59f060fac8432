CREATE TABLE "public_links" (
	"candidate_id" bigint PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "public_links_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "public_links" ADD CONSTRAINT "public_links_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Candidates published before the link-in-bio page existed get a random short link (the app makes the friendlier
-- romanised ones when a candidate is published from now on).
INSERT INTO "public_links" ("candidate_id", "slug")
SELECT "id", 'p-' || substr(md5(random()::text || clock_timestamp()::text || "id"::text), 1, 10)
FROM "candidates" WHERE "current_status" = 'published'
ON CONFLICT DO NOTHING;
