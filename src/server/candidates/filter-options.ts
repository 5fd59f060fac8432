import { asc, eq } from 'drizzle-orm';
import { getDb, schema, type Executor } from '@/src/server/db';
import { CATEGORY_NOUNS, TOP_CATEGORIES } from '@/src/server/analysis/taxonomy';

const { celebrities, channels } = schema;

export type FilterOptions = {
  celebrities: { id: string; name: string }[];
  channels: { id: string; title: string }[];
  categories: string[];
};

/** Choices for the console's filter controls: celebrities, active channels and top-level categories. */
export async function candidateFilterOptions(db: Executor = getDb()): Promise<FilterOptions> {
  const [celebs, chans] = await Promise.all([
    db.select({ id: celebrities.id, name: celebrities.name }).from(celebrities).orderBy(asc(celebrities.name)).limit(500),
    db.select({ id: channels.id, title: channels.title }).from(channels).where(eq(channels.status, 'active')).orderBy(asc(channels.title)).limit(500),
  ]);
  return {
    celebrities: celebs.map((c) => ({ id: String(c.id), name: c.name })),
    channels: chans.map((c) => ({ id: String(c.id), title: c.title })),
    categories: categorySuggestions(),
  };
}

/** Every category path the analyzer writes, with its parent levels (the filter matches a path and its children). */
function categorySuggestions(): string[] {
  const out = new Set<string>();
  for (const p of [...TOP_CATEGORIES, ...CATEGORY_NOUNS.map(([, path]) => path)]) {
    const levels = p.split(' > ');
    for (let i = 1; i <= levels.length; i++) out.add(levels.slice(0, i).join(' > '));
  }
  return [...out].sort();
}
