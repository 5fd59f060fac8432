-- btree_gin lets one GIN index hold the status beside the character pairs: a tab's 2-character matches are one lookup.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
DROP INDEX "candidates_search_bigram";--> statement-breakpoint
ALTER TABLE "candidates" ADD COLUMN "search_bigrams" text[] GENERATED ALWAYS AS (ii_bigrams(coalesce(product_name_manual, '') || ' ' || product_name_ai || ' ' || video_title || ' ' || channel_title)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "candidates_search_status_bigram" ON "candidates" USING gin ("current_status","search_bigrams");
--> statement-breakpoint
-- The new column's statistics let the planner choose between walking a sort index (common pairs) and the GIN index.
ANALYZE "candidates";
