import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { romanizeHangul } from '@/src/server/link-in-bio/romanize';
import { makeSlug, SLUG_ALPHABET, SLUG_PATTERN } from '@/src/server/link-in-bio/slug';
import { publicVideoUrl, safeDeepLink } from '@/src/server/link-in-bio/urls';

const zeros = (n: number) => new Uint8Array(n);
const random = (n: number) => crypto.randomBytes(n);

test('Hangul is romanised syllable by syllable (Revised Romanization, no sound changes)', () => {
  assert.equal(romanizeHangul('라운드랩 독도 토너'), 'raundeuraep dokdo toneo');
  assert.equal(romanizeHangul('아누아 어성초'), 'anua eoseongcho');
  assert.equal(romanizeHangul('쿠션'), 'kusyeon');
  assert.equal(romanizeHangul('ROUND LAB 1025'), 'ROUND LAB 1025');
});

test('a slug is the romanised name, cut at a whole word, plus a random suffix; unreadable names get random letters', () => {
  assert.equal(makeSlug('라운드랩 독도 토너', zeros), 'raundeuraep-dokdo-toneo-aaaa');
  assert.equal(makeSlug('Dyson Airwrap™ 멀티 스타일러 컴플리트 롱', zeros), 'dyson-airwrap-meolti-aaaa');
  assert.equal(makeSlug('르라보 상탈 33', zeros), 'reurabo-sangtal-33-aaaa');
  assert.equal(makeSlug('Crème  Brûlée!!', zeros), 'creme-brulee-aaaa');
  assert.equal(makeSlug('확인 필요', zeros), 'aaaaaa');
  assert.equal(makeSlug('<script>alert(1)</script>', zeros), 'script-alert-1-script-aaaa');
  assert.equal(makeSlug('★☆', zeros), 'aaaaaa');
  assert.equal(makeSlug('초장문제품명이너무길어서한단어가스물네글자를넘는경우', zeros).length <= 24 + 5, true);
  for (let i = 0; i < 500; i++) {
    const name = i % 3 ? `제품 ${i} ${crypto.randomBytes(6).toString('base64')}` : String.fromCodePoint(...crypto.randomBytes(8));
    const slug = makeSlug(name, random);
    assert.match(slug, SLUG_PATTERN, `${JSON.stringify(name)} → ${slug}`);
    assert.ok(slug.length <= 30, slug);
  }
  // The random part avoids look-alike letters.
  assert.ok(!/[01ilo]/.test(SLUG_ALPHABET));
});

test('a short link only ever redirects to https on coupang.com; videos link to YouTube only', () => {
  assert.equal(safeDeepLink('https://link.coupang.com/a/abc'), 'https://link.coupang.com/a/abc');
  assert.equal(safeDeepLink('https://www.coupang.com/vp/products/1?itemId=2'), 'https://www.coupang.com/vp/products/1?itemId=2');
  for (const bad of [null, '', 'http://link.coupang.com/a/x', 'https://evil.example/coupang.com', 'https://coupang.com.evil.example/', 'javascript:alert(1)', 'https://user:pw@link.coupang.com/a', '//link.coupang.com/a']) {
    assert.equal(safeDeepLink(bad), null, String(bad));
  }
  assert.equal(publicVideoUrl('dQw4w9WgXcQ', 20.7), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=20s');
  assert.equal(publicVideoUrl('dQw4w9WgXcQ', 0), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ');
  assert.equal(publicVideoUrl(null, 3), null);
  assert.equal(publicVideoUrl('"><x', 3), null);
});
