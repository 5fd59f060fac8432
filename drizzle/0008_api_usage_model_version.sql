ALTER TABLE "api_usage" ADD COLUMN "audio_input_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_usage" ADD COLUMN "model_version" text;