ALTER TABLE "windows" ADD COLUMN "visible_start" real;--> statement-breakpoint
ALTER TABLE "windows" ADD COLUMN "visible_end" real;