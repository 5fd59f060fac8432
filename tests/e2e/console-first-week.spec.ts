import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { test as base, expect, type Page } from '@playwright/test';
import { createTestDatabase } from '../helpers/db';
import { root, startServer, type TestServer } from '../helpers/server';
import { ADMIN, API_TOKEN, signIn } from './fixtures';

/**
 * Issue 14, an operator's first week, outside the candidate pages: 설정 (own password), 운영 (failed videos, feed
 * health, throughput, stage-time chart), 영상 (paging, 실패만, retry, link to candidates), dates in the app's time
 * zone without hydration errors, titles, favicon, 404, badges, buttons, and no English or raw error codes on any
 * console page.
 */
type Ctx = { app: TestServer; db: pg.Client; dbUrl: string };
type Seed = { sampleVideoId: string; candidateId: string; failedVideoId: string; failedCount: number; seededVideos: number };

const test = base.extend<{}, { ctx: Ctx; seed: Seed }>({
  ctx: [
    async ({}, use) => {
      const database = await createTestDatabase('e2efirst');
      const app = await startServer({
        DATABASE_URL: database.url,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        API_TOKEN,
        // no feed is ever reached from this test (no server listens on port 9)
        YOUTUBE_FEED_BASE_URL: 'http://127.0.0.1:9',
        ALLOW_PRIVATE_URLS: '1',
      });
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      await use({ app, db, dbUrl: database.url });
      await db.end();
      await app.stop();
      await database.drop();
    },
    { scope: 'worker' },
  ],
  seed: [
    async ({ ctx }, use) => {
      const { app, db } = ctx;
      const auth = { authorization: `Bearer ${API_TOKEN}` };
      // The bundled sample vlog, analysed for real: a video with a candidate (and stage timings).
      const res = await fetch(`${app.url}/api/v1/videos/sample`, { method: 'POST', headers: auth });
      const sampleVideoId = ((await res.json()) as { video: { id: string } }).video.id;
      // 120 older videos, 7 of them failed with developer wording in their stored error (as the pipeline leaves it).
      const errors = [
        ['media_unavailable', 'media', 'yt-dlp is not installed; set YTDLP_PATH or install yt-dlp'],
        ['not_configured', 'transcript', 'No captions and no speech recognition: run npm run models:fetch or set GEMINI_API_KEY'],
        ['upstream_failed', 'windows', 'Gemini windows: HTTP 503 from upstream'],
      ] as const;
      let failedCount = 0;
      for (let i = 0; i < 120; i++) {
        const failed = i % 17 === 3;
        const [code, stage, message] = errors[i % errors.length];
        await db.query(
          `INSERT INTO videos (source_kind, youtube_id, source_url, title, stage, progress, error_code, error_message, failed_stage, timings, created_at)
           VALUES ('youtube', $1, $2, $3, $4, $5, $6, $7, $8, $9, now() - make_interval(mins => $10))`,
          [
            `seed${String(i).padStart(7, '0')}`,
            `https://www.youtube.com/watch?v=seed${String(i).padStart(7, '0')}`,
            `${i + 1}번째 저장 영상 브이로그`,
            failed ? 'failed' : 'done',
            failed ? 0.2 : 1,
            failed ? code : null,
            failed ? message : null,
            failed ? stage : null,
            JSON.stringify(failed ? {} : { queued: 0.4, media: 12.5, transcript: 31.2, windows: 2.1, visual: 44.8, synthesize: 1.2, monetize: 0.3, score: 0.2 }),
            200 + i,
          ],
        );
        if (failed) failedCount++;
      }
      // One failed video that a retry can really run again (its media URL answers nothing).
      const retryable = await db.query(
        `INSERT INTO videos (source_kind, source_url, title, stage, progress, error_code, error_message, failed_stage, created_at)
         VALUES ('url', 'http://127.0.0.1:9/clip.mp4', '다시 시도할 영상', 'failed', 0.05, 'media_unavailable', 'connect ECONNREFUSED 127.0.0.1:9', 'media', now() - interval '150 minutes')
         RETURNING id`,
      );
      failedCount++;
      // Demo rows (npm run seed:demo) finished today: never counted in the throughput.
      for (let i = 0; i < 5; i++) {
        await db.query(`INSERT INTO videos (source_kind, upload_hash, title, stage, progress, is_demo) VALUES ('upload', $1, '데모 영상', 'done', 1, true)`, [
          `demo-${crypto.randomUUID()}`,
        ]);
      }
      // The YouTube feed answered 2 calls with 2 errors.
      for (let i = 0; i < 2; i++) {
        await db.query(
          `INSERT INTO api_usage (at, provider, operation, outcome, http_status) VALUES (now() - make_interval(mins => $1), 'youtube_feed', 'feed', 'error', 500)`,
          [10 - i],
        );
      }
      // A channel whose feed cannot be read (its error is developer wording).
      await fetch(`${app.url}/api/v1/celebrities`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: '김첫주', aliases: ['첫주'] }) });
      // Its feed failed (as a poll leaves it), written directly: no real feed call changes the usage figures above.
      await db.query(
        `INSERT INTO channels (youtube_channel_id, title, kind, status, feed_last_error_at, feed_last_error, feed_consecutive_failures)
         VALUES ('UCfirstweek00000000000aa', '첫주 매거진', 'media', 'active', now(), 'feed request failed: HTTP 500 Internal Server Error after 3 attempts', 3)`,
      );

      // The sample's analysis ends with a candidate.
      let candidateId = '';
      await expect(async () => {
        const v = (await (await fetch(`${app.url}/api/v1/videos/${sampleVideoId}`, { headers: auth })).json()) as { stage: string };
        expect(v.stage).toBe('done');
        const list = (await (await fetch(`${app.url}/api/v1/candidates?videoId=${sampleVideoId}&counts=1`, { headers: auth })).json()) as {
          counts: Record<string, number>;
        };
        const tab = Object.entries(list.counts).find(([, n]) => n > 0)?.[0];
        expect(tab).toBeTruthy();
        const items = (await (await fetch(`${app.url}/api/v1/candidates?videoId=${sampleVideoId}&tab=${tab}`, { headers: auth })).json()) as { items: { id: string }[] };
        candidateId = items.items[0].id;
      }).toPass({ timeout: 180_000, intervals: [2000] });
      await use({ sampleVideoId, candidateId, failedVideoId: String(retryable.rows[0].id), failedCount, seededVideos: 120 + 1 + 1 + 5 });
    },
    { scope: 'worker' },
  ],
});

test.describe.configure({ timeout: 240_000 });

// ---------------------------------------------------------------------------------------------------------- 설정

test('설정: one\'s own row changes the password (current + new) and stays signed in; another operator\'s reset asks first', async ({ page, ctx }) => {
  const { app } = ctx;
  // An admin of its own, so the shared admin's password is left alone.
  const me = { email: 'first-week@example.com', password: 'first-week-password-1' };
  const other = { email: 'colleague@example.com', password: 'colleague-password-1' };
  for (const o of [me, other]) {
    const r = await page.request.post(`${app.url}/api/v1/operators`, { headers: { authorization: `Bearer ${API_TOKEN}` }, data: { ...o, role: 'admin' } });
    expect(r.status()).toBe(201);
  }
  const signInAs = async (p: Page, who: { email: string; password: string }) => {
    await p.goto(`${app.url}/login`);
    await p.getByLabel('이메일').fill(who.email);
    await p.getByLabel('비밀번호').fill(who.password);
    await p.getByRole('button', { name: '로그인' }).click();
  };
  await signInAs(page, me);
  await page.waitForURL(`${app.url}/`);
  await page.goto(`${app.url}/settings`);
  const operators = page.getByRole('region', { name: '운영자' });
  const mine = operators.locator(`tr[data-operator="${me.email}"]`);
  // One's own row offers no reset (it signed the operator out and lost the new password) but a change of password.
  await expect(mine.getByRole('button', { name: '비밀번호 재설정' })).toHaveCount(0);
  await mine.getByRole('button', { name: '내 비밀번호 변경' }).click();
  const form = page.getByRole('form', { name: '내 비밀번호 변경' });
  await form.getByLabel('현재 비밀번호').fill('not-my-password');
  await form.getByLabel('새 비밀번호 (8자 이상)').fill('brand-new-password-2');
  await form.getByLabel('새 비밀번호 확인').fill('brand-new-password-2');
  await form.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await expect(form.getByRole('alert')).toContainText('현재 비밀번호가 올바르지 않습니다');
  await form.getByLabel('현재 비밀번호').fill(me.password);
  await form.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await expect(form.getByRole('status')).toContainText('비밀번호를 바꿨습니다');

  // Still signed in, on the same page.
  await page.reload();
  await expect(page).toHaveURL(`${app.url}/settings`);
  await expect(page.getByRole('heading', { name: '설정', level: 1 })).toBeVisible();

  // Another operator's reset: nothing happens before the question is answered; cancel leaves the password as it was.
  const theirs = operators.locator(`tr[data-operator="${other.email}"]`);
  await theirs.getByRole('button', { name: '비밀번호 재설정' }).click();
  const question = page.getByRole('alertdialog');
  await expect(question).toContainText(other.email);
  await question.getByRole('button', { name: '취소' }).click();
  await expect(question).toHaveCount(0);
  const probe = await page.context().browser()!.newContext();
  const p2 = await probe.newPage();
  await signInAs(p2, other);
  await p2.waitForURL(`${app.url}/`);
  await theirs.getByRole('button', { name: '비밀번호 재설정' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: '비밀번호 재설정' }).click();
  const shown = operators.getByRole('status').filter({ hasText: '새 비밀번호' }).locator('code');
  await expect(shown).toContainText(`${other.email}: `);
  const generated = (await shown.textContent())!.split(': ')[1];
  // The reset operator is signed out there; the admin stays signed in here.
  await p2.goto(`${app.url}/settings`);
  await expect(p2).toHaveURL(/\/login/);
  await page.reload();
  await expect(page.getByRole('heading', { name: '설정', level: 1 })).toBeVisible();
  await signInAs(p2, { email: other.email, password: generated });
  await p2.waitForURL(`${app.url}/`);
  await probe.close();

  // The new password signs in; the old one does not.
  await page.getByRole('button', { name: '로그아웃' }).click();
  await signInAs(page, me);
  await expect(page.locator('form [role="alert"]')).toContainText('올바르지 않습니다');
  await signInAs(page, { email: me.email, password: 'brand-new-password-2' });
  await page.waitForURL(`${app.url}/`);
});

// ---------------------------------------------------------------------------------------------------------- 영상

test('영상: 50 to a page with 다음 페이지, 실패만 with what to do and a retry, and a link to the video\'s candidates', async ({ page, ctx, seed }) => {
  const { app } = ctx;
  await signIn(page, app.url);
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '영상' }).click();
  const rows = page.locator('tr[data-video-id]');
  await expect(rows).toHaveCount(50);
  const seen = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-video-id'))));
  const firstOfPage1 = (await rows.first().getAttribute('data-video-id'))!;
  await page.getByRole('link', { name: '다음 페이지' }).click();
  await expect(page).toHaveURL(/cursor=\d+/);
  await expect(rows.first()).not.toHaveAttribute('data-video-id', firstOfPage1);
  await expect(rows).toHaveCount(50);
  for (const id of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-video-id')))) {
    expect(seen.has(id)).toBe(false);
    seen.add(id);
  }
  await page.getByRole('link', { name: '다음 페이지' }).click();
  await expect(rows).toHaveCount(seed.seededVideos - 100);
  for (const id of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-video-id')))) seen.add(id);
  expect(seen.size).toBe(seed.seededVideos); // every video reachable, none twice
  await expect(page.getByRole('link', { name: '다음 페이지' })).toHaveCount(0);
  await page.getByRole('link', { name: '처음으로' }).click();
  await expect(page).not.toHaveURL(/cursor=/);

  // 실패만: the failed videos only, each saying in Korean what to do, with a retry.
  const filters = page.getByRole('navigation', { name: '영상 보기' });
  await expect(filters.getByRole('link', { name: /실패만/ })).toContainText(String(seed.failedCount));
  await filters.getByRole('link', { name: /실패만/ }).click();
  await expect(page).toHaveURL(/stage=failed/);
  await expect(rows).toHaveCount(seed.failedCount);
  for (const s of await rows.locator('[data-stage]').evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')))) expect(s).toBe('failed');
  const failedRow = page.locator(`tr[data-video-id="${seed.failedVideoId}"]`);
  await expect(failedRow).toContainText('미디어 수집 단계에서 실패');
  await expect(failedRow).toContainText('영상을 내려받지 못했습니다');
  await failedRow.getByRole('button', { name: '다시 시도' }).click();
  await expect(page.getByRole('main').getByRole('status').filter({ hasText: '다시 시도할 영상' })).toContainText('다시 시도를 요청했습니다');
  await expect(async () => {
    const v = await (await page.request.get(`${app.url}/api/v1/videos/${seed.failedVideoId}`)).json();
    expect(v.attempts).toBeGreaterThanOrEqual(1);
  }).toPass({ timeout: 20_000 });

  // A video with candidates links straight to them (the tab that holds them, filtered to the video).
  await filters.getByRole('link', { name: /전체/ }).click();
  await expect(page).not.toHaveURL(/stage=failed/);
  await expect(rows).toHaveCount(50);
  // the sample is the oldest video: on the last page
  await page.getByRole('link', { name: '다음 페이지' }).click();
  await expect(page).toHaveURL(/cursor=\d+/);
  const second = page.url();
  await expect(rows).toHaveCount(50);
  await page.getByRole('link', { name: '다음 페이지' }).click();
  await expect(page).not.toHaveURL(second);
  await expect(rows).toHaveCount(seed.seededVideos - 100);
  const sample = page.locator(`tr[data-video-id="${seed.sampleVideoId}"]`);
  await sample.getByRole('link', { name: /후보 \d+개 보기/ }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]videoId=${seed.sampleVideoId}`));
  await expect(page.locator(`a[href*="/candidates/${seed.candidateId}"]`).first()).toBeVisible();
});

// ---------------------------------------------------------------------------------------------------------- 운영

test('운영: failed videos are listed with a retry; a feed with 2 errors in 2 calls is 문제 있음; demo videos are not counted; stage labels do not overlap', async ({ page, ctx, seed }) => {
  const { app, db } = ctx;
  await signIn(page, app.url);
  await page.goto(`${app.url}/ops`);

  const failed = page.getByRole('region', { name: '실패한 영상' });
  await expect(failed).toBeVisible();
  await expect(failed.locator('tr[data-failed-video]')).not.toHaveCount(0);
  await expect(failed).toContainText(String(seed.failedCount));
  await expect(failed.getByRole('button', { name: '다시 시도' }).first()).toBeVisible();
  await expect(failed.getByRole('link', { name: /실패한 영상 \d+개 모두 보기/ })).toHaveAttribute('href', '/videos?stage=failed');

  const feed = page.locator('tr[data-integration="youtubeFeed"]');
  await expect(feed).toContainText('문제 있음');
  await expect(feed).toContainText('오류 2회');
  await expect(feed).not.toContainText('정상');

  // Today's bar counts the real videos finished today, not the 5 demo rows.
  const today = await db.query(`SELECT to_char(now() AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD') AS day`);
  const real = await db.query(
    `SELECT count(*)::int AS n FROM videos WHERE stage = 'done' AND NOT is_demo AND to_char(updated_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD') = $1`,
    [today.rows[0].day],
  );
  const bar = page.getByRole('img', { name: '최근 처리량 (일별 완료 영상)' }).locator(`g[data-key="${today.rows[0].day}"]`);
  await expect(bar).toHaveAttribute('data-value', String(real.rows[0].n));

  // The stage-time chart: every label inside the chart, none overlapping another.
  const chart = page.getByRole('img', { name: '단계별 소요 시간 (초, 중앙값 / 90%)' });
  const labels = await chart.locator('g').evaluateAll((gs) =>
    gs.map((g) => {
      const r = g.querySelector('text')!.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  expect(labels.length).toBeGreaterThanOrEqual(6);
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i];
      const b = labels[j];
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      expect(overlap, `labels ${i} and ${j} overlap`).toBe(false);
    }
  }
});

// ------------------------------------------------------------------------------------------ dates and hydration

test('dates are in the app\'s time zone on server and browser: no hydration error #418 on /videos and a candidate page', async ({ browser, ctx, seed }) => {
  const { app } = ctx;
  const context = await browser.newContext({ timezoneId: 'America/New_York', locale: 'ko-KR' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /#418|#423|#425|hydrat/i.test(m.text())) problems.push(m.text());
  });
  await signIn(page, app.url);
  for (const url of ['/videos', `/candidates/${seed.candidateId}`, `/videos/${seed.sampleVideoId}`, '/settings', '/ops', '/channels']) {
    await page.goto(`${app.url}${url}`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
  }
  expect(problems).toEqual([]);

  // The video's 등록 time reads in Asia/Seoul, whatever the browser's zone.
  const v = await (await page.request.get(`${app.url}/api/v1/videos/${seed.sampleVideoId}`)).json();
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(v.createdAt))
      .map((x) => [x.type, x.value]),
  );
  await page.goto(`${app.url}/videos/${seed.sampleVideoId}`);
  await expect(page.locator('tr', { has: page.locator('th', { hasText: '등록' }) }).locator('time')).toHaveText(`${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`);
  await context.close();
});

// ------------------------------------------------------------------------------------------ the smaller defects

test('titles per page, a favicon, a Korean 404, badges and dates on one line, styled buttons in 설정', async ({ page, ctx, seed }) => {
  const { app } = ctx;
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, app.url);
  const titles = new Map<string, string>();
  for (const [url, name] of [
    ['/', '후보'],
    ['/videos', '영상'],
    ['/channels', '채널'],
    ['/analyze', '분석 요청'],
    ['/ops', '운영'],
    ['/settings', '설정'],
  ]) {
    await page.goto(`${app.url}${url}`);
    const title = await page.title();
    expect(title).toContain(name);
    titles.set(url, title);
  }
  expect(new Set(titles.values()).size).toBe(titles.size);

  const icon = await page.locator('link[rel~="icon"]').first().getAttribute('href');
  expect(icon).toBeTruthy();
  expect((await page.request.get(new URL(icon!, app.url).toString())).status()).toBe(200);

  // A candidate's tab names its product.
  const candidate = (await (await page.request.get(`${app.url}/api/v1/candidates/${seed.candidateId}`)).json()) as { candidate_info: { product_name: string } };
  await page.goto(`${app.url}/candidates/${seed.candidateId}`);
  expect(await page.title()).toBe(`${candidate.candidate_info.product_name} · 후보 상세 · influence-item`);

  for (const url of ['/no-such-page', '/videos/999999999', '/candidates/999999999', '/videos/abc', '/candidates/abc']) {
    const res = await page.goto(`${app.url}${url}`);
    // a missing video or candidate is a 404 too: its page finds out before anything streams (no loading.tsx above it)
    expect(res!.status(), url).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('페이지를 찾을 수 없습니다');
    await expect(page.locator('body')).not.toContainText('This page could not be found');
  }

  // Badges and dates never wrap one character per line, on a desk and on a phone.
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const url of ['/videos', '/videos?stage=failed', '/ops', '/settings']) {
      await page.goto(`${app.url}${url}`);
      const tall = await page.locator('.badge, time').evaluateAll((els) =>
        els
          .filter((e) => e.getClientRects().length > 0)
          .map((e) => ({ text: e.textContent, lines: e.getClientRects().length, h: e.getBoundingClientRect().height }))
          .filter((b) => b.lines > 1 || b.h > 28),
      );
      expect(tall, `${url} at ${width}px`).toEqual([]);
    }
  }

  // 설정's buttons share the console's look (not the browser's native buttons).
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${app.url}/settings`);
  await expect(page.getByRole('button', { name: '내 비밀번호 변경' })).toBeVisible();
  const looks = await page.locator('main button').evaluateAll((bs) =>
    bs.map((b) => {
      const s = getComputedStyle(b);
      return { text: b.textContent, radius: s.borderRadius, font: s.fontFamily, padding: s.paddingLeft };
    }),
  );
  expect(looks.length).toBeGreaterThan(3);
  for (const l of looks) {
    expect(l.radius, `${l.text}`).toBe('6px');
    expect(l.font, `${l.text}`).toContain('Noto Sans');
    expect(parseFloat(l.padding), `${l.text}`).toBeGreaterThanOrEqual(10);
  }
  expect(seed.candidateId).not.toBe('');
});

// ------------------------------------------------------------------------------- no English on console pages

/** Words that may appear in Latin letters on a Korean page: brands, products, formats, units. */
const ALLOWED = new Set(
  (
    'youtube google gemini coupang slack sheets naver whisper tesseract yolox nano ocrv4 pp instagram reels partners lens data api ' +
    'shorts postgresql chromium mp4 mov webm mkv m4v vtt srt csv jsonl json kor eng onnx community small cron tz llm ppl ocr url id ' +
    'http https usd mb kb gb fps px s ms p50 p90 influence item ko kr'
  ).split(' '),
);

/**
 * The console pages, from the route tree: app/(console)/**\/page.tsx and app/(console-detail)/**\/page.tsx (one video,
 * one candidate: the console's frame without its loading.tsx), with dynamic segments filled from the seed.
 */
function consoleRoutes(seed: Seed): string[] {
  const found: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), /^\(.*\)$/.test(e.name) ? segments : [...segments, e.name]);
      else if (e.name === 'page.tsx') found.push(`/${segments.join('/')}`);
    }
  };
  for (const group of ['(console)', '(console-detail)']) walk(path.join(root, 'app', group), []);
  const fill: Record<string, string[]> = {
    '/candidates/[id]': [`/candidates/${seed.candidateId}`],
    '/videos/[id]': [`/videos/${seed.sampleVideoId}`, `/videos/${seed.failedVideoId}`],
  };
  const out: string[] = [];
  for (const r of found.sort()) {
    if (!r.includes('[')) out.push(r);
    else if (fill[r]) out.push(...fill[r]);
    else throw new Error(`console route ${r} has a dynamic segment this test does not know how to fill: add it to consoleRoutes`);
  }
  return out;
}

/** English sentences and raw error codes in the page's visible text, outside code/kbd/pre/samp (and URLs, e-mails). */
async function englishOnPage(page: Page, allowed: string[]): Promise<string[]> {
  return page.evaluate((allowedWords) => {
    const allow = new Set(allowedWords);
    const SKIP = new Set(['CODE', 'KBD', 'PRE', 'SAMP', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE']);
    const blockOf = (el: Element): Element => {
      let e: Element | null = el;
      while (e && e !== document.body) {
        const d = getComputedStyle(e).display;
        if (!d.startsWith('inline') && d !== 'contents') return e;
        e = e.parentElement;
      }
      return document.body;
    };
    const lines = new Map<Element, string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || !n.textContent?.trim()) continue;
      let skip = false;
      for (let e: Element | null = parent; e; e = e.parentElement) if (SKIP.has(e.tagName.toUpperCase()) && e.namespaceURI === 'http://www.w3.org/1999/xhtml') skip = true;
      if (skip || parent.closest('svg title')) continue;
      if (!parent.checkVisibility()) continue;
      const block = blockOf(parent);
      lines.set(block, `${lines.get(block) ?? ''}${n.textContent}`);
    }
    const problems: string[] = [];
    for (const raw of lines.values()) {
      const line = raw
        .replace(/https?:\/\/\S+/g, ' ')
        .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ')
        .replace(/\b[\w-]+(\.[\w-]+)*\.(com|net|org|kr|io|dev|local|be)\b/g, ' ')
        .replace(/\S*\/\S*/g, ' ');
      const code = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+(?:\.[a-z][a-z-]*)+\b/.exec(line);
      if (code) problems.push(`raw code "${code[0]}" in: ${raw.trim().slice(0, 160)}`);
      for (const segment of line.split(/[\p{Script=Hangul}]+/u)) {
        const words = segment.match(/[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*/g) ?? [];
        const english = words.filter((w) => !allow.has(w.toLowerCase()) && !/^[A-Z0-9-]{2,}$/.test(w) && w.length > 1);
        if (english.length >= 3) problems.push(`English "${segment.trim().slice(0, 80)}" in: ${raw.trim().slice(0, 160)}`);
      }
    }
    return problems;
  }, allowed);
}

test('no console page shows an English sentence or a raw error code (every page of the route tree, with errors on screen)', async ({ page, ctx, seed }) => {
  const { app } = ctx;
  const shots = process.env.SHOTS_DIR;
  const routes = consoleRoutes(seed);
  expect(routes).toEqual(expect.arrayContaining(['/', '/videos', '/channels', '/analyze', '/ops', '/settings']));
  const problems: string[] = [];
  const check = async (label: string) => {
    for (const p of await englishOnPage(page, [...ALLOWED])) problems.push(`${label}: ${p}`);
  };
  const shoot = async (name: string) => {
    if (!shots) return;
    fs.mkdirSync(shots, { recursive: true });
    for (const [w, h] of [
      [1440, 900],
      [390, 844],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: path.join(shots, `${name}-${w}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  };

  await page.goto(`${app.url}/login`);
  await check('/login');
  await shoot('login');
  await page.getByLabel('이메일').fill(ADMIN.email);
  await page.getByLabel('비밀번호').fill('wrong-password-123');
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.locator('form [role="alert"]')).toBeVisible();
  await check('/login (wrong password)');
  await signIn(page, app.url);

  for (const route of routes) {
    await page.goto(`${app.url}${route}`);
    await page.waitForLoadState('networkidle');
    // technical details folded on the page are opened: what they show must be code, not prose
    for (const d of await page.locator('details').all()) await d.evaluate((e) => ((e as HTMLDetailsElement).open = true));
    await check(route);
    await shoot(route === '/' ? 'candidates' : route.slice(1).replace(/\//g, '-'));
  }

  // Error messages shown to operators, as they appear after a failed action.
  await page.goto(`${app.url}/analyze`);
  await page.getByLabel('영상 주소').fill('영상 아님');
  await page.getByRole('button', { name: '분석 요청' }).first().click();
  await expect(page.locator('form [role="alert"]').first()).toBeVisible();
  await check('/analyze (bad URL)');
  await page.goto(`${app.url}/channels`);
  const channelForm = page.getByRole('form', { name: '채널 추가' });
  await channelForm.getByLabel('채널 주소, @핸들 또는 UC… ID').fill('@nokeyhandle');
  await channelForm.getByLabel('연결할 유명인').selectOption({ label: '김첫주' });
  await channelForm.getByRole('button', { name: '채널 추가' }).click();
  await expect(channelForm.getByRole('alert')).toBeVisible();
  await check('/channels (handle without a key)');
  await page.goto(`${app.url}/no-such-page`);
  await check('404');
  await shoot('not-found');

  expect(problems).toEqual([]);
});
