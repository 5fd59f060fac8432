/**
 * The no-key pass 1 (PRODUCT.md step 6): product episodes, then a verdict on each.
 *
 * 1. Episodes. An episode opens where a product is mentioned (a gazetteer brand or line, a model token, a product
 *    noun with a naming frame, "바로 이거예요", "제가 쓰는 건 …") or where a topic frame ("두 번째는") or an
 *    introduction ("요즘 잘 쓰는 게 있는데") announces one; the line just before joins as a lead-in when it is such a
 *    frame. It runs while the talk stays on the product (cues, "이거/얘", the same brand, usage) and ends at the next
 *    topic frame or turn to another item ("그리고 햇반", "간식은 이거"), a different product or kind, an outro or call
 *    to comment, talk about a non-product (a drama, a café), or four lines in a row with nothing about the product.
 * 2. Verdict. Every clause of the episode is read for praise and complaints (negation carried), habit, problem →
 *    solution, comparison won, gift, value and explicit recommendation; each clause counts, so a product praised
 *    three ways weighs more than one praised once. The evidence adds up with the product mention and the length of
 *    talk, complaints subtract; an episode is a recommendation when the sum reaches `minEvidence` (more for an
 *    unnamed one) and praise outweighs complaints.
 * Pure: no config is read, options come from the caller.
 */
import { prepareText } from './korean-words';
import { findMentions, identifyingKeys, type Mention } from './product-mentions';
import {
  clauseCues,
  FAMILY_LABELS,
  DISCLOSURE,
  GREETING,
  NON_PRODUCT_TOPIC,
  NOT_OWN_LABEL,
  PAST_LABEL,
  OUTRO,
  REFERENCE,
  RETURN_TO_EARLIER,
  VISIT,
  stripLeadingFiller,
  splitClauses,
  TOPIC_ANNOUNCE,
  TOPIC_BOUNDARY,
  turnsToNewItem,
  VIDEO_INTRO,
  type Cue,
  type CueFamily,
} from './recommendation-cues';
import { keepLikelyRecommendations, VERDICT_MODEL, type VerdictModel } from './learned-verdict';
import type { RecommendationWindow, TranscriptSegment } from './types';

export type RuleWindowOptions = {
  padBeforeSec: number;
  padAfterSec: number;
  minDurationSec: number;
  maxDurationSec: number;
  /** Silence longer than this ends an episode. */
  maxGapSec: number;
  /** Evidence an episode needs to be a recommendation when it names its product… */
  minEvidence: number;
  /** …and when it names neither the product nor its kind ("이 니트", "선크림 스틱이에요"). */
  minEvidenceUnnamed: number;
  /** Unnamed praise this soon after a named product's episode is about that product. */
  anchorSec: number;
  /** An unnamed recommendation starting this soon after a named one, with no item frame between, goes on about it. */
  continueGapSec: number;
};

export const DEFAULT_RULE_WINDOW_OPTIONS: RuleWindowOptions = {
  padBeforeSec: 2,
  padAfterSec: 3,
  minDurationSec: 5,
  maxDurationSec: 60,
  maxGapSec: 12,
  minEvidence: 1.0,
  minEvidenceUnnamed: 1.3,
  anchorSec: 30,
  continueGapSec: 15,
};

/** How much each kind of evidence weighs in the verdict. */
export const EVIDENCE_WEIGHTS = {
  praiseClause: 0.5,
  maxPraiseClauses: 4,
  habit: 0.6,
  solution: 0.6,
  comparison: 0.5,
  gift: 0.4,
  value: 0.4,
  recommend: 0.8,
  intro: 0.3,
  featureClause: 0.25,
  maxFeatureClauses: 3,
  namedProduct: 0.4,
  productNoun: 0.3,
  perTenSeconds: 0.1,
  complaintClause: 0.9,
} as const;

export type LineInfo = {
  segment: TranscriptSegment;
  text: string;
  cues: Cue[];
  mentions: Mention[];
  keys: string[];
  boundary: boolean;
  outro: boolean;
  greeting: boolean;
  offTopic: boolean;
  reference: boolean;
  /** Talk comes back to an earlier product ("다시 사파리 얘기하면", "아무튼 이 키보드"). */
  returns: boolean;
  /** An explicit item frame ("두 번째는", "다음은", "이것도 소개해 드릴게요"), not just "그리고 X는". */
  frame: boolean;
};

export function readLine(segment: TranscriptSegment): LineInfo {
  const text = prepareText(segment.text);
  const compact = stripLeadingFiller(text.replace(/\s+/g, ''));
  const mentions = findMentions(text);
  const returns = RETURN_TO_EARLIER.test(compact);
  const frame = TOPIC_BOUNDARY.test(compact) || TOPIC_ANNOUNCE.test(compact);
  const named = mentions.some((m) => m.kind !== 'noun');
  return {
    segment,
    text,
    cues: splitClauses(text).flatMap(clauseCues),
    mentions,
    keys: identifyingKeys(mentions),
    boundary: returns || frame || turnsToNewItem(text),
    outro: OUTRO.test(compact) && !named,
    // a video announcement that names a brand ("오늘은 레고 조립하면서 수다 떠는 영상이에요") still only announces, unless it praises
    greeting: ((GREETING.test(compact) || VIDEO_INTRO.test(compact)) && (!named || (VIDEO_INTRO.test(compact) && !clauseHasPraise(text) && !/소개|추천/.test(compact)))) || (DISCLOSURE.test(compact) && !clauseHasPraise(text) && !mentions.some((m) => m.kind !== 'noun' || !m.weak)),
    offTopic: (NON_PRODUCT_TOPIC.test(compact) && !named && !REFERENCE.test(` ${text}`) && !mentions.some((m) => m.kind === 'noun' && !m.weak)) || (VISIT.test(compact) && !REFERENCE.test(` ${text}`)),
    reference: REFERENCE.test(` ${text}`),
    returns,
    frame,
  };
}

const clauseHasPraise = (text: string) => splitClauses(text).some((c) => clauseCues(c).some((q) => q.family === 'praise' || q.family === 'recommend'));
const has = (l: LineInfo, ...fs: CueFamily[]) => l.cues.some((c) => fs.includes(c.family));
const EVALUATIVE: CueFamily[] = ['praise', 'complaint', 'habit', 'solution', 'comparison', 'gift', 'value', 'recommend'];
const strongNoun = (l: LineInfo) => l.mentions.some((m) => m.kind === 'noun' && !m.weak);

const notOwn = (l: LineInfo) => l.cues.some((c) => c.label === NOT_OWN_LABEL);
/** Someone else's thing or one the speaker left behind: an aside in the talk about the product in hand. */
const aside = (l: LineInfo) => l.cues.some((c) => c.label === NOT_OWN_LABEL || c.label === PAST_LABEL);
const POSITIVE: CueFamily[] = ['praise', 'habit', 'solution', 'comparison', 'gift', 'value', 'recommend'];

/** A line that can open an episode on its own; someone else's product ("친구는 리모와 쓰는데") opens none. */
function opens(l: LineInfo): boolean {
  if (l.outro || l.greeting || l.offTopic || notOwn(l)) return false;
  if (l.keys.length > 0) return true;
  if (has(l, 'intro')) return true;
  if (strongNoun(l) && (has(l, ...EVALUATIVE) || l.reference || topicNouns(l).length > 0)) return true;
  const evaluative = l.cues.filter((c) => EVALUATIVE.includes(c.family) && c.family !== 'complaint').length;
  return evaluative >= 2 || (evaluative >= 1 && l.reference);
}

/** A line that keeps an open episode going. */
function staysOnTopic(l: LineInfo, keys: Set<string>): boolean {
  if (l.outro || l.greeting || (l.offTopic && !has(l, ...EVALUATIVE))) return false;
  return l.cues.some((c) => c.family !== 'usage') || l.reference || l.keys.some((k) => keys.has(k)) || l.mentions.some((m) => m.kind === 'noun' && !m.weak);
}

/** Strong product nouns said as the line's topic or named ("이 니트인데요", "선크림 스틱이에요", "채칼은"). */
function topicNouns(l: LineInfo): string[] {
  return topicNounMentions(l).map((m) => m.key);
}

type NounMention = Extract<Mention, { kind: 'noun' }>;
/** A noun as a pattern that also matches it said with spaces ("직소퍼즐" → "직소 퍼즐"). */
const spaced = (noun: string) => [...noun].map((ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s?');
/** "키보드는 …", "그리고 모래는 …": a line that turns to a product kind as its topic. */
const TOPIC_TURN = /^(?:(?:그리고|또|이제|아|자|근데|아\s근데)\s)?(?:(?:이|요|저)\s(?:[가-힣A-Za-z0-9]{1,6}\s)?)?[가-힣A-Za-z0-9]{1,8}(?:은|는)(?:요)?(?:\s|$)/;

function topicNounMentions(l: LineInfo): NounMention[] {
  return l.mentions
    .filter((m): m is NounMention => m.kind === 'noun' && !m.weak)
    .filter((m) => new RegExp(`(?:^|\\s)(?:이|요|저|그|제)\\s(?:[가-힣A-Za-z0-9]{1,6}\\s)?${spaced(m.noun)}|(?:^|\\s)(?:이|요|저|그|제)${spaced(m.noun)}|${spaced(m.noun)}\\s?(?:은|는|이|가|도|인데|이에요|예요|에요|이고|입니다|이거든|거든|이랑|을|를)|${spaced(m.noun)}(?:들)?\\s*$`).test(l.text));
}

/** The line names a product kind with a copula: "골판지로 된 스크래쳐인데", "이건 텀블러예요". */
function namedHere(l: LineInfo): boolean {
  return l.mentions.some((m) => m.kind === 'noun' && !m.weak && new RegExp(`${spaced(m.noun)}\\s?(?:인데|이에요|예요|에요|이고|입니다|이거든|거든)|(?:^|\\s)(?:이|요|저)\\s(?:[가-힣]{1,4}\\s)?${spaced(m.noun)}(?:들)?(?:은|는|이|가|도|을|를)?(?:요)?(?:\\s|$)`).test(l.text));
}

/** A product of another kind than the episode's, said as the line's topic: talk has moved to another product. */
function otherKind(l: LineInfo, e: Episode): boolean {
  // "이건 …" goes on about the product in hand, unless the line opens with another kind as its topic ("보조배터리는 음 이건 …")
  if (l.reference && l.keys.length === 0 && !topicNounMentions(l).some((m) => new RegExp(`^(?:(?:그리고|또|근데|아)\\s)?${spaced(m.noun)}(?:은|는)`).test(l.text))) return false;
  // a kind said in the lead-in before the product was named ("필통은 …" → "제일 자주 쓰는 건 제트스트림") is not its kind
  const firstNamed = e.lines.findIndex((x) => x.keys.length > 0);
  const mineNouns = e.lines
    .slice(Math.max(0, firstNamed))
    .flatMap((x) => x.mentions)
    .filter((m): m is NounMention => m.kind === 'noun' && !m.weak);
  const mine = mineNouns.map((m) => m.key);
  // a named product with no kind said yet, then "이 직소 퍼즐은 …": a thing pointed at as the topic is another item
  if (mine.length === 0) return e.keys.size > 0 && l.keys.length === 0 && topicNounMentions(l).some((m) => new RegExp(`^(?:(?:그리고|근데|또|아)\\s)?(?:이|저|요)\\s(?:\\S+\\s)?${spaced(m.noun)}(?:은|는)`).test(l.text));
  const theirs = topicNouns(l);
  // kinds are told apart by the noun, not the category: a keyboard after a mouse is another product
  // an opening that named nothing yet ("그리고 조명 이게 …") takes a product of the same branch ("필립스 휴 전구로")
  const opening = e.keys.size === 0 && e.lines.length <= 2;
  const sameKind = (n: string) => mineNouns.some((m) => m.noun.includes(n) || n.includes(m.noun) || (opening && topicNounMentions(l).some((t) => t.noun === n && t.path === m.path)));
  const theirNouns = topicNounMentions(l).map((m) => m.noun);
  // a noun said as a subject or object with praise ("양말이 하나도 안 젖었어요") is what the product did, not a new item;
  // said as the topic ("믹서기는 …", "이 믹서기") with an opinion it is
  const asTopic = theirNouns.some((n) => new RegExp(`${spaced(n)}\\s?(?:은|는)|(?:^|\\s)(?:이|요|저|그)\\s(?:[가-힣A-Za-z0-9]{1,6}\\s)?${spaced(n)}`).test(l.text));
  if (theirs.length > 0 && !theirNouns.some(sameKind)) return namedHere(l) || (has(l, ...EVALUATIVE) && asTopic) || has(l, 'intro') || l.keys.length > 0 || TOPIC_TURN.test(l.text);
  if (theirs.length > 0) return false;
  // a brand of another category than the episode's product, once the episode has said something of its own
  // ("선크림 스틱 … 항상 들고 다녀요" … "바이레도"); right after "첫 번째 이 의자" the brand names that chair
  const brands = l.mentions.filter((m): m is Extract<Mention, { kind: 'brand' }> => m.kind === 'brand');
  return e.lines.length >= 3 && e.keys.size === 0 && brands.length > 0 && !brands.some((b) => mine.some((k) => k.slice('noun:'.length).startsWith(b.brand.category)));
}

/** `afterAside`: an aside (someone else's thing, an old one) was said since the episode before ended. */
export type Episode = { lines: LineInfo[]; keys: Set<string>; afterAside?: boolean };
/**
 * The quiet line (nothing about the product) that ends an episode: the fourth in a row. Product talk is often plain
 * description with no cue word ("아침 여섯 시에 담은 건데 지금 오후 세 시거든요"); close() trims the quiet tail.
 */
const QUIET_LINES_TO_END = 4;

export function findEpisodes(segments: readonly TranscriptSegment[], o: RuleWindowOptions = DEFAULT_RULE_WINDOW_OPTIONS): Episode[] {
  const lines = segments
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end >= s.start && s.text.trim())
    .slice()
    .sort((a, b) => a.start - b.start)
    .map(readLine);
  const episodes: Episode[] = [];
  let cur: Episode | null = null;
  let quiet = 0; // lines in a row with nothing about the product
  let sawAside = false;
  const used = new Set<LineInfo>();

  const close = () => {
    if (cur) {
      while (cur.lines.length > 1 && !staysOnTopic(cur.lines.at(-1)!, cur.keys) && !cur.lines.at(-1)!.keys.length) cur.lines.pop();
      episodes.push(cur);
      cur.lines.forEach((l) => used.add(l));
    }
    cur = null;
    quiet = 0;
  };
  const open = (i: number) => {
    const l = lines[i];
    cur = { lines: [l], keys: new Set(l.keys), afterAside: sawAside };
    sawAside = false;
    const prev = lines[i - 1];
    // a frame right before ("첫 번째는", "요즘 진짜 잘 쓰는 게 있는데") leads in
    if (prev && !used.has(prev) && !prev.outro && !prev.greeting && !prev.offTopic && !aside(prev) && prev.keys.length === 0 && l.segment.start - prev.segment.end <= 3 && (prev.boundary || has(prev, 'intro') || (prev.reference && l.keys.length > 0)))
      cur.lines.unshift(prev);
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (cur) {
      const c: Episode = cur;
      const last = c.lines.at(-1)!;
      const newProduct = l.keys.length > 0 && c.keys.size > 0 && !l.keys.some((k) => c.keys.has(k));
      // an opening that named nothing yet ("두 번째는요", "요즘 잘 쓰는 게 있는데") takes the product named next
      const naming = l.keys.length > 0 && c.keys.size === 0 && c.lines.length <= 2 && c.lines.every((x) => !has(x, 'complaint')) && !notOwn(l) && !otherKind(l, c);
      // a named product after unnamed complaints ("예전 블랙박스가 화질이 안 좋아서" … "아이나비로 바꿨어요") is the new one
      const replacement = l.keys.length > 0 && c.keys.size === 0 && !naming && c.lines.some((x) => has(x, 'complaint'));
      // after praise, a line about someone else's thing ("이 삼국지는 남편 거예요") is talk about another item
      const othersThing = notOwn(l) && !l.keys.some((k) => c.keys.has(k)) && c.lines.some((x) => has(x, ...POSITIVE));
      // an unnamed episode that came back to the product before ("근데 이건 …") ends where another product is named
      const afterReturn = l.keys.length > 0 && c.keys.size === 0 && c.afterAside === true && !naming;
      if (l.segment.start - last.segment.end > o.maxGapSec || (l.boundary && !naming) || newProduct || replacement || othersThing || afterReturn || otherKind(l, c)) close();
      else if (naming || staysOnTopic(l, c.keys)) {
        c.lines.push(l);
        l.keys.forEach((k) => c.keys.add(k));
        quiet = 0;
        continue;
      } else if (l.outro || l.greeting || (l.offTopic && !has(l, ...EVALUATIVE)) || ++quiet >= QUIET_LINES_TO_END) {
        close();
        continue;
      } else {
        c.lines.push(l); // quiet lines may sit inside an episode; close() trims them when the episode ends there
        continue;
      }
    }
    // talk that goes on about someone else's thing ("옆자리 분은 레이저 쓰시는데" → "그분은 그게 좋다고 하시더라고요") opens nothing
    const aboutOthers = i > 0 && notOwn(lines[i - 1]) && !used.has(lines[i - 1]) && l.keys.length === 0 && !l.boundary && !has(l, 'intro') && !/^(?:그리고|자|이제|또|다음)\s|^(?:근데|그런데|하지만|반면)\s(?:이건|이게|얘는|얘가|요건|요게)/.test(l.text);
    if (!aboutOthers && (opens(l) || (l.boundary && !l.outro && !l.greeting && !l.offTopic))) open(i);
    if (aside(l)) sawAside = true;
  }
  close();
  return episodes;
}

/** Words of taste and texture (stems as the cues match them). */
const TASTE = /^(?:맛있|맛나|고소|바삭|쫀득|쫄깃|달달|담백|감칠맛|존맛|꿀맛|꾸덕|촉촉|부드럽|부드러|사르르|찰지|찰져|포슬|살맛|든든|든든하|든든해)$/;

export type EpisodeVerdict = {
  evidence: number;
  recommended: boolean;
  named: boolean;
  counts: Record<CueFamily, number>;
  labels: string[];
};

/** Weighs an episode's evidence (see EVIDENCE_WEIGHTS). */
/**
 * `afterNamed`: a named product was talked about just before (within `anchorSec`); praise that names nothing
 * ("피부가 진짜 촉촉해져요") is about it. Praise that names nothing, points at nothing ("이거", "얘") and follows no
 * product is about a dish, a place or a workout, not a product.
 */
export function judgeEpisode(e: Episode, o: RuleWindowOptions = DEFAULT_RULE_WINDOW_OPTIONS, afterNamed = false): EpisodeVerdict {
  const w = EVIDENCE_WEIGHTS;
  const counts = Object.fromEntries(Object.keys(FAMILY_LABELS).map((f) => [f, 0])) as Record<CueFamily, number>;
  const labels: string[] = [];
  for (const l of e.lines)
    for (const clause of splitClauses(l.text)) {
      const cues = clauseCues(clause);
      const fams = new Set(cues.map((c) => c.family));
      // complaints told before the switch ("허리에 안 맞았어요" … "이걸로 바꾸고 나서 …") were about the old state
      if (fams.has('solution')) counts.complaint = 0;
      for (const f of fams) counts[f]++;
      for (const c of cues) if (c.family !== 'usage' && !labels.includes(`${c.family}:${c.text}`)) labels.push(`${c.family}:${c.text}`);
    }
  const named = e.keys.size > 0;
  const noun = e.lines.some((l) => topicNouns(l).length > 0);
  const start = e.lines[0].segment.start;
  const end = e.lines.at(-1)!.segment.end;
  const on = (n: number) => (n > 0 ? 1 : 0);
  const evidence =
    w.praiseClause * Math.min(counts.praise, w.maxPraiseClauses) +
    w.habit * on(counts.habit) +
    w.solution * on(counts.solution) +
    w.comparison * on(counts.comparison) +
    w.gift * on(counts.gift) +
    w.value * on(counts.value) +
    w.recommend * on(counts.recommend) +
    w.intro * on(counts.intro) +
    w.featureClause * Math.min(counts.feature, w.maxFeatureClauses) +
    (named ? w.namedProduct : noun ? w.productNoun : 0) +
    w.perTenSeconds * Math.min(3, (end - start) / 10) -
    w.complaintClause * counts.complaint;
  const positive = counts.praise + counts.habit + counts.solution + counts.comparison + counts.recommend + counts.gift + counts.value;
  // an introduction alone ("요즘 빠진 게 있는데") anchors nothing: it must come with a product, a pointer or a product just before
  const anchored = named || noun || afterNamed || e.lines.some((l) => l.reference);
  // taste alone, with no product named and nothing bought again, kept or recommended, is a meal ("소금빵 겉이 바삭한데 … 맛있다")
  const mealOnly = !named && counts.praise > 0 && counts.praise === positive && labels.filter((x) => x.startsWith('praise:')).every((x) => TASTE.test(x.slice('praise:'.length)));
  const recommended = anchored && !mealOnly && positive > 0 && counts.complaint < positive && evidence >= (named || noun ? o.minEvidence : o.minEvidenceUnnamed);
  return { evidence: round2(evidence), recommended, named, counts, labels };
}

/** A recommended episode with the window it becomes (padded, disjoint from its neighbours). */
export type RecommendedEpisode = { episode: Episode; verdict: EpisodeVerdict; start: number; end: number };

/** Pass 1 by the rules alone: every episode the verdict calls a recommendation, as a window. */
export function recommendedEpisodes(segments: readonly TranscriptSegment[], opts: Partial<RuleWindowOptions> = {}): RecommendedEpisode[] {
  const o: RuleWindowOptions = { ...DEFAULT_RULE_WINDOW_OPTIONS, ...opts };
  if (segments.length === 0) return [];
  const bounds = { start: Math.min(...segments.map((s) => s.start)), end: Math.max(...segments.map((s) => s.end)) };
  const found = findEpisodes(segments, o);
  let lastNamedEnd = -Infinity;
  const judged = found.map((e) => {
    const v = judgeEpisode(e, o, e.lines[0].segment.start - lastNamedEnd <= o.anchorSec);
    if (v.named) lastNamedEnd = e.lines.at(-1)!.segment.end;
    return { e, v };
  });
  const { episodes, verdicts } = joinReturns(leadIntoNamed(judged, o), o);
  const out: RecommendedEpisode[] = [];
  episodes.forEach((e, i) => {
    const v = verdicts[i];
    if (!v.recommended) return;
    // padding never reaches into the previous window or the next episode: windows stay disjoint
    const floor = Math.max(bounds.start, out.at(-1)?.end ?? bounds.start);
    const ceiling = Math.min(bounds.end, episodes[i + 1]?.lines[0].segment.start ?? bounds.end);
    let start = Math.max(floor, e.lines[0].segment.start - o.padBeforeSec);
    let end = Math.min(Math.max(ceiling, e.lines.at(-1)!.segment.end), e.lines.at(-1)!.segment.end + o.padAfterSec);
    if (end - start < o.minDurationSec) {
      const missing = o.minDurationSec - (end - start);
      start = Math.max(floor, start - missing / 2);
      end = Math.min(bounds.end, start + o.minDurationSec);
    }
    if (end - start > o.maxDurationSec) end = start + o.maxDurationSec;
    out.push({ episode: e, verdict: v, start: round2(start), end: round2(end) });
  });
  return out;
}

/**
 * Pass 1 without a key: the rules' recommended episodes that the learned verdict keeps (learned-verdict.ts), as
 * windows whose confidence is the model's probability. `verdictModel` null: the rules alone (tests of their mechanics).
 */
export function findRecommendationWindowsByRules(
  segments: readonly TranscriptSegment[],
  opts: Partial<RuleWindowOptions> = {},
  verdictModel: VerdictModel | null = VERDICT_MODEL,
): RecommendationWindow[] {
  const found = recommendedEpisodes(segments, opts);
  const kept = verdictModel ? keepLikelyRecommendations(found, verdictModel) : found.map((r) => ({ ...r, probability: 1 - Math.exp(-r.verdict.evidence / 2) }));
  return kept.map(({ verdict: v, start, end, probability }) => ({
    start,
    end,
    reason: describe(v, probability),
    confidence: round2(probability),
    signals: [...(v.named ? ['mention:named'] : []), ...v.labels.slice(0, 12)],
    method: 'rule',
  }));
}

/**
 * Unnamed talk right before a product is named, with no frame between ("운동 끝나고 나서 꼭 챙기는 게 단백질이에요" →
 * "요즘은 하이뮨 프로틴 밸런스 마셔요"), leads into that product: one window, not an unnamed one and a named one.
 */
function leadIntoNamed(judged: { e: Episode; v: EpisodeVerdict }[], o: RuleWindowOptions): { e: Episode; v: EpisodeVerdict }[] {
  const out: { e: Episode; v: EpisodeVerdict }[] = [];
  for (const cur of judged) {
    const prev = out.at(-1);
    const first = cur.e.lines[0];
    if (prev && prev.v.recommended && cur.v.recommended && !prev.e.afterAside && prev.e.keys.size === 0 && cur.e.keys.size > 0 && !first.boundary && first.segment.start - prev.e.lines.at(-1)!.segment.end <= 2 && !cur.e.lines.some((l) => otherKind(l, prev.e))) {
      const merged: Episode = { lines: [...prev.e.lines, ...cur.e.lines], keys: new Set(cur.e.keys), afterAside: prev.e.afterAside };
      out[out.length - 1] = { e: merged, v: judgeEpisode(merged, o) };
      continue;
    }
    out.push(cur);
  }
  return out;
}

/**
 * Talk that comes back to the product recommended just before is the same recommendation, not a second one: after an
 * aside about someone else's thing or an old one ("엄마 밥솥은 …" → "근데 이건 보온 이틀 해도 …"), or said to be a
 * return ("다시 사파리 얘기하면 …", "아무튼 이 키보드 …"), or naming the same product again. A recommended episode joins
 * the last recommended one when it starts within `anchorSec` of it, names nothing else (no other brand, no product of
 * another kind), is one of those three, and only episodes that were not recommendations lie between.
 * Talk that simply goes on about the named product ("그리고 카메라로 장애물을 인식하는데 …", "그다음에 탬핑하고 …")
 * joins it too: unnamed praise starting within `continueGapSec` of it, with nothing between, no item frame ("두 번째는",
 * "다음은"), no introduction, and no product kind said as a new item ("그리고 얘 이어폰"), which is the next product.
 */
function joinReturns(judged: { e: Episode; v: EpisodeVerdict }[], o: RuleWindowOptions): { episodes: Episode[]; verdicts: EpisodeVerdict[] } {
  const episodes: Episode[] = [];
  const verdicts: EpisodeVerdict[] = [];
  let last = -1; // index in `episodes` of the last recommendation
  let asideOnly = true; // nothing recommended since it
  for (const { e, v } of judged) {
    const prev = last >= 0 ? episodes[last] : null;
    const first = e.lines[0];
    const gap = prev ? first.segment.start - prev.lines.at(-1)!.segment.end : Infinity;
    const sameProduct = prev !== null && v.recommended && prev.keys.size > 0 && !e.lines.some((l) => otherKind(l, prev));
    const returns =
      asideOnly &&
      gap <= o.anchorSec &&
      [...e.keys].every((k) => prev!.keys.has(k)) &&
      (first.returns || e.keys.size > 0 || (e.afterAside === true && e.lines.some((l) => l.reference) && !e.lines.some((l) => has(l, 'intro')))) &&
      (!first.boundary || first.returns);
    const goesOn =
      last === episodes.length - 1 && e.keys.size === 0 && gap <= o.continueGapSec && !first.frame && !has(first, 'intro') && !(first.boundary && topicNouns(first).length > 0);
    const joins = sameProduct && (returns || goesOn);
    if (joins) {
      const merged: Episode = { lines: [...prev.lines, ...e.lines], keys: new Set([...prev.keys, ...e.keys]) };
      episodes.splice(last + 1);
      verdicts.splice(last + 1);
      episodes[last] = merged;
      verdicts[last] = judgeEpisode(merged, o);
      continue;
    }
    episodes.push(e);
    verdicts.push(v);
    if (v.recommended) {
      last = episodes.length - 1;
      asideOnly = true;
    }
  }
  return { episodes, verdicts };
}

function describe(v: EpisodeVerdict, probability: number): string {
  const parts = (Object.keys(v.counts) as CueFamily[])
    .filter((f) => f !== 'usage' && f !== 'complaint' && v.counts[f] > 0)
    .map((f) => `${FAMILY_LABELS[f]}${v.counts[f] > 1 ? ` ×${v.counts[f]}` : ''}`);
  return `추천 근거: ${parts.join(' · ') || '언급'}${v.named ? ' · 제품 언급' : ''} (점수 ${v.evidence}, 추천 확률 ${Math.round(probability * 100)}%)`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
