CREATE TABLE "candidate_reels" (
	"candidate_id" bigint PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"version" integer NOT NULL,
	"input_key" text NOT NULL,
	"path" text,
	"width" integer,
	"height" integer,
	"duration_sec" real,
	"error" text,
	"requested_by" bigint,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "candidate_reels" ADD CONSTRAINT "candidate_reels_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_reels" ADD CONSTRAINT "candidate_reels_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "candidate_reels_status_index" ON "candidate_reels" USING btree ("status");