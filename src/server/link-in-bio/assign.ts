import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { schema, type Executor } from '@/src/server/db';
import { makeSlug } from './slug';

const { publicLinks } = schema;

/**
 * Gives a candidate being published its short link, once: a candidate that had one (published before, undone, published
 * again) keeps it. Runs inside the publishing transaction; a slug already taken is tried again with another suffix
 * (ON CONFLICT, so the transaction is never aborted). Returns the slug.
 */
export async function assignPublicLink(tx: Executor, candidateId: number, productName: string): Promise<string> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const [existing] = await tx.select({ slug: publicLinks.slug }).from(publicLinks).where(eq(publicLinks.candidateId, candidateId));
    if (existing) return existing.slug;
    const slug = makeSlug(attempt < 4 ? productName : '', (n) => crypto.randomBytes(n));
    const [row] = await tx.insert(publicLinks).values({ candidateId, slug }).onConflictDoNothing().returning({ slug: publicLinks.slug });
    if (row) return row.slug;
  }
  throw new Error(`no free short link for candidate ${candidateId} after 8 tries`);
}
