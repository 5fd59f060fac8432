import { bigint, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, ref } from './columns';
import { candidates } from './candidates';

/**
 * The public face of a published candidate (issue 16, the link-in-bio page): its short link `/l/p/<slug>` and how
 * often that link was followed. One row per candidate, made when the candidate is first published and kept for good
 * (an undone publish hides it; publishing again shows the same slug), so a caption's link never changes.
 * `clicks` is a bare counter: no cookie, address or user agent is stored with it.
 */
export const publicLinks = pgTable('public_links', {
  candidateId: ref()
    .primaryKey()
    .references(() => candidates.id, { onDelete: 'cascade' }),
  /** Lower-case a–z, 0–9 and '-', unique; romanised from the product name where possible plus a random suffix. */
  slug: text().notNull().unique(),
  clicks: bigint({ mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
});
