-- Every distinct pair of adjacent characters of a text, lower-cased: lets a GIN index answer 2-character keywords.
CREATE OR REPLACE FUNCTION ii_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT substr(l, i, 2)), '{}'::text[])
  FROM (SELECT lower(t) AS l) s, generate_series(1, char_length(lower(t)) - 1) AS i
$$;--> statement-breakpoint
CREATE INDEX "candidates_search_bigram" ON "candidates" USING gin (ii_bigrams(coalesce("product_name_manual", '') || ' ' || "product_name_ai" || ' ' || "video_title" || ' ' || "channel_title"));