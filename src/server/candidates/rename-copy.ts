import { UNKNOWN_PRODUCT } from '@/src/server/analysis/synthesis-copy';
import { josa, resolveParticles, type JosaPair } from '@/src/server/josa';

/**
 * What a product rename does to the generated copy (PURE). The copy names the product it was written for; when the
 * operator corrects the name, every generated field is rewritten with the new one: each mention of the old name is
 * replaced and the particle right after it chosen again for the new name ("독도 토너를" → "수분 크림을"), the
 * product's hashtag is replaced (or added when the old name had none). Fields the operator wrote are left to the
 * caller to skip. For an unnamed product ("확인 필요") the copy names the category instead; that word is replaced.
 */
export type CopyFields = {
  hook_sentence: string | null;
  summary_for_caption: string | null;
  recommended_titles: string[];
  recommended_hashtags: string[];
};
export const COPY_FIELDS = ['hook_sentence', 'summary_for_caption', 'recommended_titles', 'recommended_hashtags'] as const;
export type CopyField = (typeof COPY_FIELDS)[number];

/** Particles that may follow the name, longest first, and the pair each belongs to. */
const PARTICLES: [string, JosaPair][] = [
  ['이에요', '이에요/예요'],
  ['예요', '이에요/예요'],
  ['으로', '으로/로'],
  ['이나', '이나/나'],
  ['이랑', '이랑/랑'],
  ['이라', '이라/라'],
  ['이', '이/가'],
  ['가', '이/가'],
  ['을', '을/를'],
  ['를', '을/를'],
  ['은', '은/는'],
  ['는', '은/는'],
  ['과', '과/와'],
  ['와', '과/와'],
  ['로', '으로/로'],
  ['나', '이나/나'],
  ['랑', '이랑/랑'],
  ['라', '이라/라'],
];
const pairOf = new Map(PARTICLES);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The hashtag form of a name: letters and digits only ("라운드랩 1025 독도 토너" → "#라운드랩1025독도토너"). */
export const hashtagOf = (name: string) => {
  const t = name.replace(/[^0-9A-Za-z\uAC00-\uD7A3]/g, '');
  return t ? `#${t}` : null;
};

/** The words the generated copy used for the product: its name, or for an unnamed product its category's leaf. */
export function copyTermsFor(name: string, categoryPath: string | null): string[] {
  if (name.trim() && name !== UNKNOWN_PRODUCT) return [name.trim()];
  return [categoryPath?.split(' > ').at(-1)?.trim() || '추천 제품'];
}

/** One text with every mention of an old term replaced by the new name, particles fitted to the new name. */
export function renameInText(text: string, oldTerms: string[], newName: string): string {
  const terms = [...new Set(oldTerms.filter((t) => t && t !== newName))].sort((a, b) => b.length - a.length);
  if (!terms.length) return resolveParticles(text);
  // Mentions of the new name already in the text (a name that contains the old one) are kept as they are.
  const keep = '\u0000';
  const protectedText = text.split(newName).join(keep);
  const alternatives = PARTICLES.map(([p]) => p).join('|');
  const re = new RegExp(`(${terms.map(escape).join('|')})(?:(${alternatives})(?![가-힣]))?`, 'g');
  const replaced = protectedText.replace(re, (_m, _term: string, particle?: string) => `${newName}${particle ? josa(newName, pairOf.get(particle)!) : ''}`);
  return resolveParticles(replaced.split(keep).join(newName));
}

/** The product's hashtag swapped for the new name's; added after the celebrity's tags when there was none. */
export function renameInHashtags(tags: string[], oldTerms: string[], newName: string): string[] {
  const next = hashtagOf(newName);
  if (!next) return tags;
  const old = new Set(oldTerms.map(hashtagOf).filter((t): t is string => !!t).map((t) => t.toLowerCase()));
  const out: string[] = [];
  let replaced = false;
  for (const tag of tags) {
    const isOld = old.has(tag.toLowerCase());
    const value = isOld ? next : tag;
    if (isOld) replaced = true;
    if (!out.some((x) => x.toLowerCase() === value.toLowerCase())) out.push(value);
  }
  if (!replaced && !out.some((x) => x.toLowerCase() === next.toLowerCase())) out.splice(Math.min(2, out.length), 0, next);
  return out;
}

/**
 * The copy fields (of those given) that change when the product is renamed from `oldName` to `newName`, with their
 * new values. Unchanged fields are left out.
 */
export function renameInCopy(
  copy: Partial<CopyFields>,
  rename: { oldName: string; newName: string; categoryPath: string | null },
): Partial<CopyFields> {
  const newName = rename.newName.trim();
  if (!newName || newName === UNKNOWN_PRODUCT || newName === rename.oldName.trim()) return {};
  const oldTerms = copyTermsFor(rename.oldName, rename.categoryPath);
  const out: Partial<CopyFields> = {};
  const text = (v: string | null | undefined) => (v ? renameInText(v, oldTerms, newName) : v);
  if (copy.hook_sentence) {
    const v = text(copy.hook_sentence)!;
    if (v !== copy.hook_sentence) out.hook_sentence = v;
  }
  if (copy.summary_for_caption) {
    const v = text(copy.summary_for_caption)!;
    if (v !== copy.summary_for_caption) out.summary_for_caption = v;
  }
  if (copy.recommended_titles) {
    const v = copy.recommended_titles.map((t) => renameInText(t, oldTerms, newName));
    if (v.some((t, i) => t !== copy.recommended_titles![i])) out.recommended_titles = v;
  }
  if (copy.recommended_hashtags) {
    const v = renameInHashtags(copy.recommended_hashtags, oldTerms, newName);
    if (JSON.stringify(v) !== JSON.stringify(copy.recommended_hashtags)) out.recommended_hashtags = v;
  }
  return out;
}
