/** Caption copy for a candidate: hook, caption summary with the mandatory disclosure, titles and hashtags. */
import { withJosa } from '@/src/server/josa';

export const COUPANG_DISCLOSURE = '이 포스팅은 쿠팡 파트너스 활동의 일환으로, 이에 따른 일정액의 수수료를 제공받습니다.';

export const UNKNOWN_PRODUCT = '확인 필요';

const FILLER_HASHTAGS = ['#연예인템', '#셀럽추천템', '#추천템', '#꿀템', '#쿠팡추천', '#인생템', '#데일리템', '#오늘의추천', '#셀럽템'];

export type CopyInput = {
  celebrityName: string;
  videoTitle: string;
  productName: string;
  categoryPath: string | null;
  features: string[];
  hookQuote: string | null;
  brandHangul: string | null;
};

export function hookSentence(c: CopyInput): string {
  const who = c.celebrityName || '셀럽';
  const what = displayName(c);
  return c.hookQuote ? `"${c.hookQuote}" ${withJosa(who, '이/가')} 직접 말한 ${what}` : `${withJosa(who, '이/가')} 영상에서 꺼낸 ${what}`;
}

export function captionSummary(c: CopyInput): string {
  const who = c.celebrityName || '셀럽';
  const what = displayName(c);
  const from = c.videoTitle ? ` 영상 「${c.videoTitle}」에서` : '';
  const said = c.features.length ? ` ${c.features.slice(0, 3).join(' / ')}` : '';
  return `${withJosa(who, '이/가')}${from} 소개한 ${what}.${said ? `${said}.` : ''}\n\n${COUPANG_DISCLOSURE}`;
}

export function recommendedTitles(c: CopyInput): [string, string, string] {
  const who = c.celebrityName || '셀럽';
  const what = displayName(c);
  const leaf = c.categoryPath?.split(' > ').at(-1) ?? '아이템';
  return [
    `${withJosa(who, '이/가')} 요즘 진짜 잘 쓰는 ${what}`,
    `${who} ${leaf} 정체 공개`,
    c.hookQuote ? `"${truncate(c.hookQuote, 24)}" ${who} 추천템` : `${who} 추천템, ${what}`,
  ];
}

export function recommendedHashtags(c: CopyInput, min = 8): string[] {
  const tags: string[] = [];
  const add = (raw: string | null | undefined) => {
    const t = (raw ?? '').replace(/[^0-9A-Za-z\uAC00-\uD7A3]/g, '');
    if (!t) return;
    const tag = `#${t}`;
    if (!tags.some((x) => x.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  };
  add(c.celebrityName);
  if (c.celebrityName) add(`${c.celebrityName}추천`);
  if (c.productName !== UNKNOWN_PRODUCT) add(c.productName);
  add(c.brandHangul);
  for (const level of c.categoryPath?.split(' > ').reverse() ?? []) add(level);
  for (const f of FILLER_HASHTAGS) {
    if (tags.length >= Math.max(min, 10)) break;
    add(f);
  }
  return tags;
}

function displayName(c: CopyInput): string {
  if (c.productName !== UNKNOWN_PRODUCT) return c.productName;
  return c.categoryPath?.split(' > ').at(-1) ?? '추천 제품';
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
