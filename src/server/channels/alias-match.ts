/**
 * Finds where a text (video title, description) names a registered celebrity.
 *
 * An alias counts only where it stands alone as a word, so one-syllable aliases (진, 뷔, V) do not fire inside
 * ordinary words (진짜, VLOG). Korean attaches particles directly to nouns (아이유의, IU가, 진이랑), so an alias may be
 * followed by a particle, or two when the first one allows it (님이, 에게도) — but the particles must then end the word.
 *
 *   before the alias: start of text or a non-letter
 *   after the alias:  [particle(s)] then end of text or a non-letter
 *
 * "Letters" are Hangul (syllables and jamo), Latin letters (incl. accented ones, as in ROSÉ) and decimal digits.
 * Matching is case-insensitive for Latin and runs on the NFC-normalized text; reported indexes are positions in that
 * NFC-normalized text. Spaces inside an alias match any run of whitespace.
 *
 * Known limit: a boundary rule cannot tell an alias from the same ordinary word followed by a particle (진 + 도 →
 * 진도), nor an alias that is itself a common word (개그맨). Those need context and are left to the operator.
 */

export interface AliasCelebrity {
  id: string;
  name: string;
  aliases: readonly string[];
}

export interface CelebrityMention {
  celebrityId: string;
  /** The alias as registered (NFC-normalized), not the spelling found in the text. */
  alias: string;
  /** Position of the match in the NFC-normalized text (UTF-16 code units). */
  index: number;
}

const LETTER = String.raw`\p{Script=Hangul}\p{Script=Latin}\p{Nd}`;

/**
 * Korean postpositions and honorific suffixes that may end a name. Deliberately missing: 로/으로 (진 + 로 = 진로,
 * a common word), 표/양/군/네 (진표, 진양, 진군 …).
 */
export const KOREAN_NAME_PARTICLES: readonly string[] = [
  '의', '가', '이', '은', '는', '을', '를', '도', '만', '에', '에서', '에게', '에게서', '한테', '한테서', '와', '과',
  '랑', '이랑', '하고', '께', '께서', '처럼', '보다', '까지', '부터', '야', '아', '이야', '여', '이여', '님', '님들',
  '씨', '이나', '나', '이며', '며', '이라', '라', '이라는', '라는', '이라고', '라고', '이란', '란', '이요', '요', '뿐',
  '밖에', '마저', '조차',
];

/**
 * Particles after which a second one may follow (아이유님이, 진에게도, 제니까지는, 지민이랑은). Case markers (가, 를, 의 …)
 * end the word: without this restriction 진가를 (진 + 가 + 를) would count as a mention of 진.
 */
export const STACKABLE_PARTICLES: readonly string[] = [
  '님', '님들', '씨', '에', '에서', '에게', '에게서', '한테', '한테서', '께', '께서', '까지', '부터', '만', '처럼',
  '보다', '랑', '이랑', '하고', '와', '과',
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const alternation = (words: readonly string[]) =>
  [...words].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');

const PARTICLES = String.raw`(?:(?:${alternation(STACKABLE_PARTICLES)})?(?:${alternation(KOREAN_NAME_PARTICLES)})?)`;

function aliasPattern(alias: string): RegExp {
  const body = alias
    .split(/\s+/)
    .map(escapeRegExp)
    .join(String.raw`\s+`);
  return new RegExp(
    String.raw`(?<![${LETTER}])${body}(?=${PARTICLES}(?![${LETTER}]))`,
    'giu',
  );
}

interface CompiledAlias {
  celebrityId: string;
  alias: string;
  pattern: RegExp;
}

export interface AliasMatcher {
  findMentions(text: string): CelebrityMention[];
}

/** Compiles the aliases once; reuse the matcher when checking many texts against the same registry. */
export function createAliasMatcher(celebrities: readonly AliasCelebrity[]): AliasMatcher {
  const compiled: CompiledAlias[] = [];
  for (const celebrity of celebrities) {
    const seen = new Set<string>();
    for (const raw of [celebrity.name, ...celebrity.aliases]) {
      const alias = raw.normalize('NFC').trim();
      const key = alias.toLowerCase();
      if (alias === '' || seen.has(key)) continue;
      seen.add(key);
      compiled.push({ celebrityId: celebrity.id, alias, pattern: aliasPattern(alias) });
    }
  }

  return {
    findMentions(text: string): CelebrityMention[] {
      const normalized = text.normalize('NFC');
      // When two aliases of one celebrity match at the same place (e.g. "Jay" and "Jay Park"), keep the longer.
      const best = new Map<string, CelebrityMention & { length: number }>();
      for (const { celebrityId, alias, pattern } of compiled) {
        pattern.lastIndex = 0;
        for (const match of normalized.matchAll(pattern)) {
          const key = `${celebrityId}\u0000${match.index}`;
          const previous = best.get(key);
          if (!previous || match[0].length > previous.length) {
            best.set(key, { celebrityId, alias, index: match.index, length: match[0].length });
          }
        }
      }
      return [...best.values()]
        .sort((a, b) => a.index - b.index || b.length - a.length)
        .map(({ celebrityId, alias, index }) => ({ celebrityId, alias, index }));
    },
  };
}

/** Every place where one of the celebrities is named, in text order. */
export function findCelebrityMentions(
  text: string,
  celebrities: readonly AliasCelebrity[],
): CelebrityMention[] {
  return createAliasMatcher(celebrities).findMentions(text);
}

/** True when the text names the celebrity (or any of the celebrities). */
export function mentionsCelebrity(
  text: string,
  celebrities: AliasCelebrity | readonly AliasCelebrity[],
): boolean {
  const list: readonly AliasCelebrity[] = Array.isArray(celebrities)
    ? celebrities
    : [celebrities as AliasCelebrity];
  return findCelebrityMentions(text, list).length > 0;
}
