/**
 * Scores a channel found by discovery from signals the operator can see and check. The Data API has no "verified"
 * flag, so the score only ranks candidates for review; nothing is approved automatically.
 *
 * Signals (each 0–1 unless noted; weights in WEIGHTS):
 *   nameSimilarity   best similarity between the query / the celebrity's name and aliases and the channel title,
 *                    on Hangul decomposed into jamo (NFD) so 아이유 vs 아이유TV or near spellings still score
 *   handleMatch      the @handle contains a Latin alias or the romanised query
 *   officialSigns    "official"/"공식" in title or description, links to official sites / SNS / agency pages
 *   subscribers      log scale: 1k → 0.25, 100k → 0.6, 1M+ → ~0.75, 10M → 1
 *   cadence          uploads per month since the channel started (≥ 4/month → 1)
 *   fanOrAiSigns     penalty for fan-channel, compilation and AI-cover wording
 */

export type DiscoveryInput = {
  query: string;
  aliases: readonly string[];
  channel: {
    title: string;
    description: string;
    handle: string | null;
    subscriberCount: number | null;
    videoCount: number | null;
    publishedAt: Date | null;
  };
  /** Videos of this channel among the search results (period search). */
  hits?: number;
  now: Date;
};

export type DiscoverySignals = {
  nameSimilarity: number;
  handleMatch: number;
  officialSigns: string[];
  subscribers: number | null;
  uploadsPerMonth: number | null;
  fanOrAiSigns: string[];
  hits: number;
  notes: string[];
};

export const WEIGHTS = { name: 40, handle: 10, official: 15, subscribers: 15, cadence: 10, hits: 10, fanPenalty: 35 };

/** Letters only, lower-case, Hangul syllables decomposed into jamo. */
export function normalizeForSimilarity(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function bigrams(s: string): string[] {
  if (s.length < 2) return s ? [s] : [];
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** Dice coefficient over jamo bigrams; containment of the whole name in the title counts as a strong match. */
export function nameSimilarity(name: string, title: string): number {
  const a = normalizeForSimilarity(name);
  const b = normalizeForSimilarity(title);
  if (!a || !b) return 0;
  if (a === b) return 1;
  const contained = b.includes(a) ? 0.6 + 0.4 * (a.length / b.length) : 0;
  const ga = bigrams(a);
  const gb = bigrams(b);
  const counts = new Map<string, number>();
  for (const g of gb) counts.set(g, (counts.get(g) ?? 0) + 1);
  let overlap = 0;
  for (const g of ga) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      overlap++;
      counts.set(g, n - 1);
    }
  }
  const dice = (2 * overlap) / (ga.length + gb.length);
  return Math.max(dice, contained);
}

const OFFICIAL_WORDS = [/\bofficial\b/i, /공식/, /오피셜/];
const OFFICIAL_LINKS = /(instagram\.com|twitter\.com|x\.com|weverse\.io|tiktok\.com|facebook\.com|[a-z0-9-]+\.(?:co\.kr|com|kr|net)\/?(?:artist|profile)?)/gi;
const AGENCY = /(entertainment|엔터테인먼트|ent\.|소속사|management|매니지먼트)/i;
const FAN_SIGNS: [RegExp, string][] = [
  [/팬\s*채널|팬채널|fan\s*channel|fanpage|팬\s*페이지/i, 'fan channel'],
  [/직캠|fancam/i, 'fancam'],
  [/모음|compilation|編集|편집본/i, 'compilation'],
  [/비공식|unofficial|not affiliated|무관/i, 'unofficial'],
  [/\bai\s*cover\b|ai\s*커버|ai커버|ai\s*노래|ai\s*voice|인공지능\s*커버/i, 'AI cover'],
  [/\bfan\s*made\b|fanmade|팬메이드/i, 'fan-made'],
];

export function scoreDiscoveredChannel(input: DiscoveryInput): { score: number; signals: DiscoverySignals } {
  const { channel } = input;
  const names = [input.query, ...input.aliases].filter((n) => n.trim() !== '');
  const notes: string[] = [];
  const name = Math.max(0, ...names.map((n) => nameSimilarity(n, channel.title)));

  const handle = (channel.handle ?? '').replace(/^@/, '').toLowerCase();
  const latin = names.map((n) => n.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((n) => n.length >= 2);
  const handleMatch = handle && latin.some((n) => handle.includes(n)) ? 1 : 0;

  const text = `${channel.title}\n${channel.description}`;
  const officialSigns: string[] = [];
  for (const w of OFFICIAL_WORDS) if (w.test(text)) officialSigns.push(`"${w.source.replace(/\\b/g, '')}" in title/description`);
  const links = [...new Set((channel.description.match(OFFICIAL_LINKS) ?? []).map((l) => l.toLowerCase()))].slice(0, 5);
  if (links.length) officialSigns.push(`links: ${links.join(', ')}`);
  if (AGENCY.test(channel.description)) officialSigns.push('agency named in description');
  const official = Math.min(1, officialSigns.length / 2);

  const subs = channel.subscriberCount;
  const subscribers = subs === null ? 0 : Math.min(1, Math.max(0, Math.log10(Math.max(subs, 1)) / 7));
  if (subs === null) notes.push('subscriber count hidden');

  let uploadsPerMonth: number | null = null;
  if (channel.videoCount !== null && channel.publishedAt) {
    const months = Math.max(1, (input.now.getTime() - channel.publishedAt.getTime()) / (30 * 86_400_000));
    uploadsPerMonth = Math.round((channel.videoCount / months) * 10) / 10;
  }
  const cadence = uploadsPerMonth === null ? 0 : Math.min(1, uploadsPerMonth / 4);

  const fanOrAiSigns = FAN_SIGNS.filter(([re]) => re.test(text)).map(([, label]) => label);
  const hits = input.hits ?? 0;

  const raw =
    WEIGHTS.name * name +
    WEIGHTS.handle * handleMatch +
    WEIGHTS.official * official +
    WEIGHTS.subscribers * subscribers +
    WEIGHTS.cadence * cadence +
    WEIGHTS.hits * Math.min(1, hits / 3) -
    WEIGHTS.fanPenalty * Math.min(1, fanOrAiSigns.length);
  const score = Math.round(Math.max(0, Math.min(100, raw)));
  return {
    score,
    signals: {
      nameSimilarity: Math.round(name * 100) / 100,
      handleMatch,
      officialSigns,
      subscribers: subs,
      uploadsPerMonth,
      fanOrAiSigns,
      hits,
      notes,
    },
  };
}
