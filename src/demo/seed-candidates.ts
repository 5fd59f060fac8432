import { eq, sql } from 'drizzle-orm';
import { schema, type Executor } from '@/src/server/db';
import { COUPANG_DISCLOSURE, UNKNOWN_PRODUCT } from '@/src/server/analysis/synthesis-copy';
import { withJosa } from '@/src/server/josa';
import type { CandidateStatus } from '@/src/server/db/schema/candidates';

const { celebrities, channels, videos, candidates } = schema;

/**
 * Demo rows for developing and showing the console before the pipeline runs: celebrities, channels, videos and
 * candidates spread over every tab, category, score and date, all flagged `isDemo` (shown with a 데모 badge,
 * removed together by clearDemo). Deterministic for a given offset, so repeated seeding adds new rows.
 */
const CELEBS = [
  ['한소희', ['소희']], ['김고은', ['고은']], ['이효리', ['효리']], ['장원영', ['원영']], ['안유진', ['유진']],
  ['차은우', ['은우']], ['공효진', ['효진']], ['송혜교', ['혜교']], ['제니', ['JENNIE']], ['수지', ['배수지']],
  ['카리나', ['유지민']], ['박보영', ['보영']],
] as const;
const MEDIA = ['보그 코리아', '엘르 코리아', '피식대학', '하퍼스 바자', '더블유 코리아'];
const PRODUCTS: { name: string; brand: string; category: string; price: '저가' | '중가' | '프리미엄' | '럭셔리' }[] = [
  { name: '라운드랩 독도 토너', brand: '라운드랩', category: '뷰티 > 스킨케어 > 토너', price: '중가' },
  { name: '아누아 어성초 77 수딩 토너', brand: '아누아', category: '뷰티 > 스킨케어 > 토너', price: '중가' },
  { name: '토리든 다이브인 세럼', brand: '토리든', category: '뷰티 > 스킨케어 > 세럼', price: '중가' },
  { name: '에스트라 아토베리어 365 크림', brand: '에스트라', category: '뷰티 > 스킨케어 > 크림', price: '중가' },
  { name: '롬앤 쥬시 래스팅 틴트', brand: '롬앤', category: '뷰티 > 메이크업 > 립', price: '저가' },
  { name: '헤라 블랙 쿠션', brand: '헤라', category: '뷰티 > 메이크업 > 베이스', price: '프리미엄' },
  { name: '디올 어딕트 립 글로우', brand: '디올', category: '뷰티 > 메이크업 > 립', price: '럭셔리' },
  { name: '르라보 상탈 33', brand: '르라보', category: '뷰티 > 향수', price: '럭셔리' },
  { name: '다이슨 에어랩', brand: '다이슨', category: '가전 > 헤어기기', price: '럭셔리' },
  { name: '발뮤다 토스터', brand: '발뮤다', category: '가전 > 주방가전 > 토스터', price: '프리미엄' },
  { name: '스탠리 퀜처 텀블러', brand: '스탠리', category: '생활 > 주방용품 > 텀블러', price: '중가' },
  { name: '르크루제 무쇠 냄비', brand: '르크루제', category: '생활 > 주방용품 > 냄비', price: '프리미엄' },
  { name: '아크네 스튜디오 머플러', brand: '아크네', category: '패션잡화 > 머플러', price: '럭셔리' },
  { name: '르메르 크루아상 백', brand: '르메르', category: '패션잡화 > 여성가방 > 숄더백', price: '럭셔리' },
  { name: '뉴발란스 530', brand: '뉴발란스', category: '패션잡화 > 신발 > 운동화', price: '중가' },
  { name: '아디다스 삼바', brand: '아디다스', category: '패션잡화 > 신발 > 운동화', price: '중가' },
  { name: '젝시믹스 레깅스', brand: '젝시믹스', category: '스포츠 > 요가복', price: '저가' },
  { name: '닥터지 레드 블레미쉬 크림', brand: '닥터지', category: '뷰티 > 스킨케어 > 크림', price: '저가' },
  { name: '마녀공장 퓨어 클렌징 오일', brand: '마녀공장', category: '뷰티 > 스킨케어 > 클렌징', price: '저가' },
  { name: '오설록 제주 녹차', brand: '오설록', category: '식품 > 차', price: '저가' },
  { name: '정관장 에브리타임', brand: '정관장', category: '식품 > 건강식품', price: '프리미엄' },
  { name: '무인양품 아로마 디퓨저', brand: '무인양품', category: '생활 > 인테리어 > 디퓨저', price: '중가' },
  { name: '샤오미 미밴드', brand: '샤오미', category: '가전 > 웨어러블', price: '저가' },
  { name: '확인 필요', brand: '', category: '', price: '중가' },
];
const ENDORSE = ['명시적 추천', '자연스러운 언급', '습관적 사용', '비교 리뷰', '튜토리얼 시연'] as const;
const SPEECH = [
  '요즘 진짜 잘 쓰는 게 있는데요',
  '발라보면 제형이 꾸덕해요',
  '이거 쓰고 피부가 달라졌어요',
  '파우치에 항상 들어있어요',
  '벌써 세 통째 쓰고 있어요',
];

/** Tab spread (cumulative weights) of demo candidates. */
const STATUS_SPREAD: [CandidateStatus, number][] = [
  ['needs_review', 0.35], ['filtered_no_coupang', 0.5], ['high_ppl_risk', 0.6], ['low_score_filtered', 0.7],
  ['approved', 0.8], ['published', 0.88], ['rejected', 0.95], ['archived', 0.98], ['under_revision', 1],
];

/** mulberry32: a small deterministic PRNG so a seed is reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const YT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** A unique 11-character YouTube-shaped id for demo video n ("dm" + base64 of n). */
function demoYoutubeId(n: number): string {
  let s = '';
  let v = n;
  for (let i = 0; i < 9; i++) {
    s = YT_ALPHABET[v % 64] + s;
    v = Math.floor(v / 64);
  }
  return `dm${s}`;
}

async function ensureSources(db: Executor) {
  await db
    .insert(celebrities)
    .values(CELEBS.map(([name, aliases]) => ({ name, aliases: [...aliases], isDemo: true })))
    .onConflictDoNothing();
  const celebRows = await db.select({ id: celebrities.id, name: celebrities.name }).from(celebrities);
  const celebByName = new Map(celebRows.map((r) => [r.name, r.id]));
  const channelValues = [
    ...CELEBS.map(([name], i) => ({
      youtubeChannelId: `UCdemo${String(i).padStart(16, '0')}`,
      title: `${name} 공식 채널`,
      kind: 'celebrity' as const,
      celebrityId: celebByName.get(name) ?? null,
      isDemo: true,
    })),
    ...MEDIA.map((title, i) => ({ youtubeChannelId: `UCdemomedia${String(i).padStart(11, '0')}`, title, kind: 'media' as const, isDemo: true })),
  ];
  await db.insert(channels).values(channelValues).onConflictDoNothing();
  const chRows = await db
    .select({ id: channels.id, title: channels.title, kind: channels.kind, celebrityId: channels.celebrityId, yt: channels.youtubeChannelId })
    .from(channels)
    .where(sql`${channels.youtubeChannelId} LIKE 'UCdemo%'`);
  return { celebs: CELEBS.map(([name]) => ({ id: celebByName.get(name)!, name })), channels: chRows };
}

export type SeedResult = { videos: number; candidates: number };

/** Adds `count` demo candidates (about three per demo video). */
export async function seedDemo(db: Executor, opts: { count: number; now?: Date; chunk?: number }): Promise<SeedResult> {
  const count = Math.max(0, Math.floor(opts.count));
  if (!count) return { videos: 0, candidates: 0 };
  const nowMs = (opts.now ?? new Date()).getTime();
  const chunk = opts.chunk ?? 1000;
  const src = await ensureSources(db);
  const [{ offset }] = (await db.execute(sql`SELECT count(*)::int AS offset FROM videos WHERE youtube_id LIKE 'dm%' AND is_demo`)).rows as { offset: number }[];
  const rand = rng(0x5eed + Number(offset));
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const videoCount = Math.ceil(count / 3);
  let made = 0;
  let madeVideos = 0;
  for (let v0 = 0; v0 < videoCount; v0 += chunk) {
    const vBatch: (typeof videos.$inferInsert)[] = [];
    const meta: { celeb: { id: number; name: string }; channel: (typeof src.channels)[number]; publishedAt: Date; title: string }[] = [];
    for (let v = v0; v < Math.min(videoCount, v0 + chunk); v++) {
      const n = Number(offset) + v;
      const channel = pick(src.channels);
      const celeb = channel.kind === 'celebrity' ? src.celebs.find((c) => c.id === channel.celebrityId) ?? pick(src.celebs) : pick(src.celebs);
      const publishedAt = new Date(nowMs - Math.floor(rand() * 365 * 86400_000));
      const title = channel.kind === 'media' ? `${celeb.name}의 왓츠 인 마이 백 #${n}` : `[VLOG] ${celeb.name} 일상 브이로그 ${n}화`;
      const youtubeId = demoYoutubeId(n);
      vBatch.push({
        sourceKind: 'youtube',
        youtubeId,
        sourceUrl: `https://www.youtube.com/watch?v=${youtubeId}`,
        channelId: channel.id,
        celebrityId: celeb.id,
        title,
        publishedAt,
        durationSeconds: 600 + Math.floor(rand() * 1200),
        stage: 'done',
        progress: 1,
        isDemo: true,
      });
      meta.push({ celeb, channel, publishedAt, title });
    }
    const inserted = await db.insert(videos).values(vBatch).returning({ id: videos.id, youtubeId: videos.youtubeId });
    madeVideos += inserted.length;
    const cBatch: (typeof candidates.$inferInsert)[] = [];
    inserted.forEach((video, i) => {
      const m = meta[i];
      const perVideo = Math.min(3, count - made - cBatch.length);
      const used = new Set<number>();
      for (let k = 0; k < perVideo; k++) {
        let p = Math.floor(rand() * PRODUCTS.length);
        while (used.has(p)) p = (p + 1) % PRODUCTS.length;
        used.add(p);
        const product = PRODUCTS[p];
        const r = rand();
        const status = STATUS_SPREAD.find(([, w]) => r < w)![0];
        const sentiment = rand();
        const endorsement = rand();
        const influencer = rand();
        const total = Math.round(100 * (0.5 * sentiment + 0.35 * endorsement + 0.15 * influencer));
        // PPL levels as the pipeline routes them: ≥ 0.8 → high_ppl_risk; 0.5–0.8 is flagged (is_ppl) but stays reviewable.
        const ppl = status === 'high_ppl_risk' ? 0.8 + rand() * 0.2 : rand() < 0.85 ? rand() * 0.5 : 0.5 + rand() * 0.29;
        const start = Math.floor(rand() * 500);
        const end = start + 8 + Math.floor(rand() * 25);
        const line = pick(SPEECH);
        const matched = status !== 'filtered_no_coupang' && product.brand !== '';
        const productId = String(1_000_000 + p * 97 + (video.id % 90));
        // The copy names the product, or for an unnamed one its category (as the analysis writes it).
        const shown = product.name === UNKNOWN_PRODUCT ? '추천 제품' : product.name;
        cBatch.push({
          videoId: video.id,
          productKey: `demo:${p}`,
          celebrityId: m.celeb.id,
          channelId: m.channel.id,
          celebrityName: m.celeb.name,
          channelTitle: m.channel.title,
          videoTitle: m.title,
          videoUrl: `https://www.youtube.com/watch?v=${video.youtubeId}`,
          videoPublishedAt: rand() < 0.03 ? null : m.publishedAt,
          productNameAi: product.name,
          clipStartTime: start,
          clipEndTime: end,
          categoryPath: product.category || null,
          features: product.brand ? [`${product.brand} 제품`, line] : [],
          scoreTotal: total,
          sentimentScore: Math.round(sentiment * 100) / 100,
          endorsementScore: Math.round(endorsement * 100) / 100,
          influencerScore: Math.round(influencer * 100) / 100,
          scoreEvidence: { sentiment: ['진짜 좋아요'], endorsement: [line], influencer: [`${m.channel.title}`] },
          hookSentence: `${withJosa(m.celeb.name, '이/가')} 매일 쓰는 바로 그 ${shown}`,
          summaryForCaption: `${m.celeb.name}의 브이로그에서 소개된 ${shown}.\n\n${COUPANG_DISCLOSURE}`,
          targetAudience: ['20대 여성', '30대 여성'],
          pricePoint: product.price,
          endorsementType: pick(ENDORSE),
          recommendedTitles: [
            `${m.celeb.name}의 찐템, ${shown}`,
            `${withJosa(m.celeb.name, '이/가')} 매일 쓰는 ${product.brand || '그 제품'}`,
            `브이로그 속 ${shown} 정보`,
          ],
          recommendedHashtags: ['#' + m.celeb.name, '#연예인템', '#브이로그', '#추천템', '#쿠팡', '#내돈내산', '#데일리', '#꿀템'],
          analysisMethod: rand() < 0.3 ? 'llm' : 'rule',
          isCoupangProduct: matched,
          coupangUrlAi: matched ? `https://link.coupang.com/a/demo${productId}` : null,
          coupangProduct: matched
            ? { id: productId, name: `${product.name} 정품`, price: 9900 + (p * 3100) % 200000, image: null, url: `https://www.coupang.com/vp/products/${productId}` }
            : null,
          coupangSearchStatus: matched ? 'matched' : 'no_match',
          coupangKeyword: product.brand ? product.name : null,
          currentStatus: status,
          isPpl: ppl >= 0.5,
          pplConfidence: Math.round(ppl * 1000) / 1000,
          pplReasons: ppl >= 0.5 ? [{ pattern: '유료광고', source: 'description', weight: 0.8 }] : [],
          evidence: {
            transcriptSpan: [{ start, end: start + 5, text: `${line}. ${product.name} 진짜 좋아요.` }],
            frameTimestamps: [start + 2, start + 4],
            ocrLines: product.brand ? [product.brand.toUpperCase(), product.name] : [],
            detections: ['bottle'],
            cropPath: null,
            framePaths: [],
            otherWindows: [],
          },
          createdAt: new Date(m.publishedAt.getTime() + Math.floor(rand() * 3 * 86400_000)),
          reviewedAt: ['approved', 'published', 'rejected', 'archived'].includes(status) ? new Date(nowMs) : null,
          publishedAt: status === 'published' ? new Date(nowMs) : null,
          isDemo: true,
        });
      }
    });
    // ~41 parameters a row: 1000 rows stay under Postgres' 65535-parameter limit.
    for (let i = 0; i < cBatch.length; i += 1000) await db.insert(candidates).values(cBatch.slice(i, i + 1000));
    made += cBatch.length;
  }
  return { videos: madeVideos, candidates: made };
}

/** Removes every demo row (candidates and their events go with their videos). */
export async function clearDemo(db: Executor): Promise<{ videos: number; candidates: number; channels: number; celebrities: number }> {
  const c = await db.delete(candidates).where(eq(candidates.isDemo, true)).returning({ id: candidates.id });
  const v = await db.delete(videos).where(eq(videos.isDemo, true)).returning({ id: videos.id });
  const ch = await db.delete(channels).where(eq(channels.isDemo, true)).returning({ id: channels.id });
  const ce = await db.delete(celebrities).where(eq(celebrities.isDemo, true)).returning({ id: celebrities.id });
  return { candidates: c.length, videos: v.length, channels: ch.length, celebrities: ce.length };
}
