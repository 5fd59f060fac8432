ALTER TABLE "api_tokens" ADD COLUMN "scope" text DEFAULT 'read' NOT NULL;--> statement-breakpoint
-- Tokens made before scopes could do everything; they keep the review work but lose operator and token management.
UPDATE "api_tokens" SET "scope" = 'review';
