CREATE TABLE "api_tokens" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "login_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"ip" text DEFAULT '' NOT NULL,
	"success" boolean NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_agent" text,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'operator' NOT NULL,
	"disabled_at" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "celebrities" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "celebrities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"aliases" text[] DEFAULT '{}' NOT NULL,
	"group_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "celebrities_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "channels_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"youtube_channel_id" text NOT NULL,
	"handle" text,
	"title" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"thumbnail_url" text,
	"kind" text NOT NULL,
	"celebrity_id" bigint,
	"status" text DEFAULT 'active' NOT NULL,
	"subscriber_count" bigint,
	"video_count" integer,
	"view_count" bigint,
	"feed_last_polled_at" timestamp with time zone,
	"feed_last_success_at" timestamp with time zone,
	"feed_last_error_at" timestamp with time zone,
	"feed_last_error" text,
	"feed_consecutive_failures" integer DEFAULT 0 NOT NULL,
	"feed_source" text,
	"discovery_query" text,
	"discovery_score" real,
	"discovery_signals" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "channels_youtubeChannelId_unique" UNIQUE("youtube_channel_id")
);
--> statement-breakpoint
CREATE TABLE "videos" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "videos_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source_kind" text NOT NULL,
	"youtube_id" text,
	"source_url" text,
	"upload_hash" text,
	"channel_id" bigint,
	"celebrity_id" bigint,
	"title" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"published_at" timestamp with time zone,
	"duration_seconds" real,
	"thumbnail_url" text,
	"view_count" bigint,
	"like_count" bigint,
	"is_short" boolean DEFAULT false NOT NULL,
	"skip_rule" text,
	"skip_reason" text,
	"stage" text DEFAULT 'queued' NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"failed_stage" text,
	"timings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"stage_started_at" timestamp with time zone,
	"media_path" text,
	"captions_path" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "videos_youtubeId_unique" UNIQUE("youtube_id"),
	CONSTRAINT "videos_uploadHash_unique" UNIQUE("upload_hash")
);
--> statement-breakpoint
CREATE TABLE "transcripts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "transcripts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"video_id" bigint NOT NULL,
	"source" text NOT NULL,
	"language" text DEFAULT 'ko' NOT NULL,
	"segments" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transcripts_videoId_unique" UNIQUE("video_id")
);
--> statement-breakpoint
CREATE TABLE "visual_findings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "visual_findings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"window_id" bigint NOT NULL,
	"video_id" bigint NOT NULL,
	"t" real NOT NULL,
	"sharpness" real,
	"frame_path" text,
	"crop_path" text,
	"is_best" boolean DEFAULT false NOT NULL,
	"ocr_lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"detections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "windows" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "windows_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"video_id" bigint NOT NULL,
	"ordinal" integer NOT NULL,
	"start" real NOT NULL,
	"end" real NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"confidence" real DEFAULT 0 NOT NULL,
	"signals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"method" text NOT NULL,
	"stage" text DEFAULT 'visual' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "candidate_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "candidate_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"candidate_id" bigint NOT NULL,
	"user_id" bigint,
	"actor" text NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"diff" jsonb,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "candidates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "candidates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"video_id" bigint NOT NULL,
	"window_id" bigint,
	"product_key" text NOT NULL,
	"celebrity_id" bigint,
	"channel_id" bigint,
	"celebrity_name" text DEFAULT '' NOT NULL,
	"channel_title" text DEFAULT '' NOT NULL,
	"video_title" text DEFAULT '' NOT NULL,
	"video_url" text DEFAULT '' NOT NULL,
	"video_published_at" timestamp with time zone,
	"product_name_ai" text DEFAULT '확인 필요' NOT NULL,
	"product_name_manual" text,
	"clip_start_time" real NOT NULL,
	"clip_end_time" real NOT NULL,
	"category_path" text,
	"features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"score_total" integer DEFAULT 0 NOT NULL,
	"sentiment_score" real DEFAULT 0 NOT NULL,
	"endorsement_score" real DEFAULT 0 NOT NULL,
	"influencer_score" real DEFAULT 0 NOT NULL,
	"score_evidence" jsonb,
	"hook_sentence" text,
	"summary_for_caption" text,
	"target_audience" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"price_point" text,
	"endorsement_type" text,
	"recommended_titles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recommended_hashtags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"analysis_method" text DEFAULT 'rule' NOT NULL,
	"is_coupang_product" boolean,
	"coupang_url_ai" text,
	"coupang_url_manual" text,
	"coupang_product" jsonb,
	"coupang_search_status" text DEFAULT 'pending' NOT NULL,
	"coupang_keyword" text,
	"current_status" text DEFAULT 'needs_review' NOT NULL,
	"is_ppl" boolean DEFAULT false NOT NULL,
	"ppl_confidence" real DEFAULT 0 NOT NULL,
	"ppl_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evidence" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"reviewed_by" bigint,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coupang_cache" (
	"keyword" text PRIMARY KEY NOT NULL,
	"products" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "golden_examples" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "golden_examples_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"candidate_id" bigint NOT NULL,
	"field" text NOT NULL,
	"model_value" jsonb,
	"human_value" jsonb,
	"evidence" jsonb,
	"user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_usage" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_usage_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"provider" text NOT NULL,
	"operation" text NOT NULL,
	"video_id" bigint,
	"candidate_id" bigint,
	"units" integer DEFAULT 0 NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" numeric(12, 6) DEFAULT '0' NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"latency_ms" integer,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" bigint,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" bigint
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_celebrity_id_celebrities_id_fk" FOREIGN KEY ("celebrity_id") REFERENCES "public"."celebrities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_celebrity_id_celebrities_id_fk" FOREIGN KEY ("celebrity_id") REFERENCES "public"."celebrities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transcripts" ADD CONSTRAINT "transcripts_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visual_findings" ADD CONSTRAINT "visual_findings_window_id_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."windows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visual_findings" ADD CONSTRAINT "visual_findings_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "windows" ADD CONSTRAINT "windows_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_events" ADD CONSTRAINT "candidate_events_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_events" ADD CONSTRAINT "candidate_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_window_id_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."windows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_celebrity_id_celebrities_id_fk" FOREIGN KEY ("celebrity_id") REFERENCES "public"."celebrities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "golden_examples" ADD CONSTRAINT "golden_examples_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "golden_examples" ADD CONSTRAINT "golden_examples_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "login_attempts_email_at_index" ON "login_attempts" USING btree ("email","at");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_at_index" ON "login_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "sessions_user_id_index" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_index" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "channels_status_index" ON "channels" USING btree ("status");--> statement-breakpoint
CREATE INDEX "channels_celebrity_id_index" ON "channels" USING btree ("celebrity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "videos_source_url_unique" ON "videos" USING btree ("source_url");--> statement-breakpoint
CREATE INDEX "videos_stage_id_index" ON "videos" USING btree ("stage","id");--> statement-breakpoint
CREATE INDEX "videos_channel_id_id_index" ON "videos" USING btree ("channel_id","id");--> statement-breakpoint
CREATE INDEX "videos_created_at_index" ON "videos" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "visual_findings_window_id_t_index" ON "visual_findings" USING btree ("window_id","t");--> statement-breakpoint
CREATE INDEX "visual_findings_video_id_index" ON "visual_findings" USING btree ("video_id");--> statement-breakpoint
CREATE UNIQUE INDEX "windows_video_id_ordinal_index" ON "windows" USING btree ("video_id","ordinal");--> statement-breakpoint
CREATE INDEX "candidate_events_candidate_id_at_index" ON "candidate_events" USING btree ("candidate_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "candidates_video_id_product_key_index" ON "candidates" USING btree ("video_id","product_key");--> statement-breakpoint
CREATE INDEX "candidates_status_score" ON "candidates" USING btree ("current_status","score_total","id");--> statement-breakpoint
CREATE INDEX "candidates_status_created" ON "candidates" USING btree ("current_status","created_at","id");--> statement-breakpoint
CREATE INDEX "candidates_status_upload" ON "candidates" USING btree ("current_status","video_published_at","id");--> statement-breakpoint
CREATE INDEX "candidates_status_channel" ON "candidates" USING btree ("current_status","channel_title","id");--> statement-breakpoint
CREATE INDEX "candidates_status_celebrity" ON "candidates" USING btree ("current_status","celebrity_name","id");--> statement-breakpoint
CREATE INDEX "candidates_status_title" ON "candidates" USING btree ("current_status","video_title","id");--> statement-breakpoint
CREATE INDEX "candidates_status_category" ON "candidates" USING btree ("current_status","category_path","id");--> statement-breakpoint
CREATE INDEX "candidates_status_ppl" ON "candidates" USING btree ("current_status","ppl_confidence","id");--> statement-breakpoint
CREATE INDEX "candidates_video_id_index" ON "candidates" USING btree ("video_id");--> statement-breakpoint
CREATE INDEX "candidates_channel_id_index" ON "candidates" USING btree ("channel_id");--> statement-breakpoint
CREATE INDEX "candidates_celebrity_id_index" ON "candidates" USING btree ("celebrity_id");--> statement-breakpoint
CREATE INDEX "candidates_search_trgm" ON "candidates" USING gin ((coalesce("product_name_manual", '') || ' ' || "product_name_ai" || ' ' || "video_title" || ' ' || "channel_title") gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "golden_examples_candidate_id_field_index" ON "golden_examples" USING btree ("candidate_id","field");--> statement-breakpoint
CREATE INDEX "api_usage_provider_operation_at_index" ON "api_usage" USING btree ("provider","operation","at");--> statement-breakpoint
CREATE INDEX "api_usage_video_id_index" ON "api_usage" USING btree ("video_id");--> statement-breakpoint
CREATE INDEX "api_usage_at_index" ON "api_usage" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_events_at_index" ON "audit_events" USING btree ("at");