import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { publish, seedProducts } from '../helpers/link-page';
import { SLUG_PATTERN } from '@/src/server/link-in-bio/slug';

/**
 * The link-in-bio page over HTTP against the real server (issue 16): publishing assigns a short link, /l/p/<slug>
 * redirects (302) to the deep link and counts the click without a cookie, unknown or unpublished slugs are a Korean
 * 404, /l/<celebrity> lists one celebrity's products, thumbnails are the crops of published products only.
 */
const TOKEN = 'link-in-bio-token-0123456789';
let server: TestServer;
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let ids: number[] = [];
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const DEEP = (n: number) => `https://link.coupang.com/a/lib${n}`;

before(async () => {
  database = await createTestDatabase('linkbio');
  server = await startServer({ DATABASE_URL: database.url, API_TOKEN: TOKEN, ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'long-enough-pw' });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  ids = await seedProducts(pool, path.join(server.dataDir, 'media'), [
    { name: '라운드랩 독도 토너', celebrity: '한소희', deepLink: DEEP(0) },
    { name: '토리든 다이브인 세럼', celebrity: '제니', deepLink: DEEP(1) },
    { name: '헤라 블랙 쿠션', celebrity: '한소희', deepLink: DEEP(2), crop: false },
    { name: '아직 승인만 된 비공개 제품', celebrity: '한소희', deepLink: DEEP(3) },
  ]);
  for (const id of ids.slice(0, 3)) await publish(server.url, TOKEN, id);
});
after(async () => {
  await pool?.end();
  await server?.stop();
  await database?.drop();
});

const get = (p: string, init: RequestInit = {}) => fetch(`${server.url}${p}`, { redirect: 'manual', ...init });
const linkOf = async (id: number) => {
  const res = await pool.query('SELECT slug, clicks FROM public_links WHERE candidate_id = $1', [id]);
  return res.rows[0] as { slug: string; clicks: number } | undefined;
};
const candidate = async (id: number) => (await (await fetch(`${server.url}/api/v1/candidates/${id}`, { headers: auth })).json()) as {
  monetization_info: { public_link: { slug: string; url: string; clicks: number } | null };
};

test('publishing assigns a stable, readable, unique short link shown on the candidate', async () => {
  const slugs = [];
  for (const id of ids.slice(0, 3)) {
    const link = await linkOf(id);
    assert.ok(link, `candidate ${id} has a short link`);
    assert.match(link.slug, SLUG_PATTERN);
    assert.equal(Number(link.clicks), 0);
    slugs.push(link.slug);
    const dto = await candidate(id);
    assert.equal(dto.monetization_info.public_link?.slug, link.slug);
    assert.equal(dto.monetization_info.public_link?.url, `${server.url}/l/p/${link.slug}`);
  }
  assert.equal(new Set(slugs).size, 3);
  assert.match(slugs[0], /^raundeuraep-dokdo-toneo-[a-z2-9]{4}$/, 'romanised from the product name');
  assert.equal(await linkOf(ids[3]), undefined, 'an approved (unpublished) candidate has none');
  assert.equal((await candidate(ids[3])).monetization_info.public_link, null);
});

test('/l/p/<slug> redirects (302) to the deep link and counts each click, with no cookie', async () => {
  const { slug } = (await linkOf(ids[0]))!;
  for (let i = 1; i <= 3; i++) {
    const res = await get(`/l/p/${slug}`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), DEEP(0));
    assert.equal(res.headers.get('set-cookie'), null, 'no cookie');
    assert.equal(Number((await linkOf(ids[0]))!.clicks), i);
  }
  // HEAD and prefetches answer the same without counting; another product's counter is its own.
  assert.equal((await get(`/l/p/${slug}`, { method: 'HEAD' })).status, 302);
  assert.equal((await get(`/l/p/${slug}`, { headers: { 'sec-purpose': 'prefetch' } })).status, 302);
  assert.equal(Number((await linkOf(ids[0]))!.clicks), 3);
  assert.equal(Number((await linkOf(ids[1]))!.clicks), 0);
  assert.equal((await candidate(ids[0])).monetization_info.public_link?.clicks, 3, 'the console sees the count');
  // Signed in or not makes no difference (a viewer never signs in; an operator checking the link is a click too).
  const res = await get(`/l/p/${slug}`, { headers: { cookie: 'ii_session=whatever' } });
  assert.equal(res.status, 302);
});

test('an unknown, malformed or unpublished slug is a Korean 404 that counts nothing', async () => {
  for (const p of ['/l/p/no-such-slug-zzzz', '/l/p/..%2f..%2fetc', `/l/p/${'a'.repeat(200)}`, '/l/p/%EC%A0%9C%EB%8B%88']) {
    const res = await get(p);
    assert.equal(res.status, 404, p);
    const html = await res.text();
    assert.match(html, /찾을 수 없는 링크/, p);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  }
  // Undo the publish of product 2: its link stops working and it leaves the page; publishing again brings the same slug.
  const { slug } = (await linkOf(ids[1]))!;
  const undo = await fetch(`${server.url}/api/v1/candidates/${ids[1]}/undo`, { method: 'POST', headers: auth, body: '{}' });
  assert.equal(undo.status, 200, await undo.clone().text());
  assert.equal((await get(`/l/p/${slug}`)).status, 404);
  assert.equal(Number((await linkOf(ids[1]))!.clicks), 0);
  assert.ok(!(await (await get('/l')).text()).includes('토리든 다이브인 세럼'), 'unpublished product left the page');
  await publish(server.url, TOKEN, ids[1]);
  assert.equal((await linkOf(ids[1]))!.slug, slug, 'the same short link again');
  assert.equal((await get(`/l/p/${slug}`)).status, 302);
});

test('/l and /l/<celebrity>: published products newest first, one celebrity at a time, unknown → 404', async () => {
  const all = await (await get('/l')).text();
  const order = ['헤라 블랙 쿠션', '라운드랩 독도 토너'].map((n) => all.indexOf(n));
  assert.ok(order.every((i) => i > 0), 'both published products listed');
  assert.ok(order[0] < order[1], 'newest first');
  assert.ok(!all.includes('아직 승인만 된 비공개 제품'), 'the approved candidate is absent');
  for (const id of ids) assert.ok(!all.includes(`/candidates/${id}`) && !all.includes(`"${id}"`), 'no candidate id in the page');

  const res = await get(`/l/${encodeURIComponent('한소희')}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('set-cookie'), null);
  const one = await res.text();
  assert.ok(one.includes('라운드랩 독도 토너') && one.includes('헤라 블랙 쿠션'));
  assert.ok(!one.includes('토리든 다이브인 세럼'), "another celebrity's product is not on 한소희's page");
  assert.ok(!one.includes('아직 승인만 된 비공개 제품'));
  assert.match(one, /<meta property="og:title" content="한소희의 추천템"/);

  const jennie = await (await get(`/l/${encodeURIComponent('제니')}`)).text();
  assert.ok(jennie.includes('토리든 다이브인 세럼') && !jennie.includes('라운드랩 독도 토너'));
  for (const name of ['없는셀럽', '<script>alert(1)</script>']) {
    const r = await get(`/l/${encodeURIComponent(name)}`);
    assert.equal(r.status, 404, name);
    assert.match(await r.text(), /찾을 수 없는 링크/);
  }
});

test('thumbnails: the crop of a published product only, nothing else of the media folder', async () => {
  const { slug } = (await linkOf(ids[0]))!;
  const img = await get(`/l/p/${slug}/image`);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/jpeg');
  const bytes = Buffer.from(await img.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  // No crop → no image route answer (the card shows a placeholder); a crop path pointing outside the media folder is refused.
  assert.equal((await get(`/l/p/${(await linkOf(ids[2]))!.slug}/image`)).status, 404);
  const secret = path.join(server.dataDir, 'secret.jpg');
  fs.writeFileSync(secret, 'not for viewers');
  await pool.query(`UPDATE candidates SET evidence = jsonb_set(evidence, '{cropPath}', '"../secret.jpg"') WHERE id = $1`, [ids[2]]);
  assert.equal((await get(`/l/p/${(await linkOf(ids[2]))!.slug}/image`)).status, 404);
  // The signed-in media route still wants a session for the same crop.
  const crop = (await pool.query(`SELECT evidence->>'cropPath' AS p FROM candidates WHERE id = $1`, [ids[0]])).rows[0].p;
  assert.equal((await get(`/api/media/${crop}`)).status, 401);
});
