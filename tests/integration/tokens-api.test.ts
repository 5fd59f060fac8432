import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';
import { YTDLP_FAKE_PATH } from '../fakes/index';

/** API tokens, operators and settings through the real server; every change audited. */
const TOKEN = 'tokens-env-token-0123456789abc';
let server: TestServer;
let db: { url: string; drop(): Promise<void> };

before(async () => {
  db = await createTestDatabase('tokens');
  server = await startServer({
    DATABASE_URL: db.url,
    API_TOKEN: TOKEN,
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: 'long-enough-pw',
    // submitted YouTube URLs need something to analyse them: yt-dlp (the fake, answering "unavailable")
    YTDLP_PATH: YTDLP_FAKE_PATH,
    FAKE_YTDLP_FAIL: '1',
  });
});
after(async () => {
  await server?.stop();
  await db?.drop();
});

const call = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
  fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? TOKEN}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

test('a token created in settings works for /api/v1 and /api/metrics, and stops once revoked', async () => {
  const created = await call('/api/v1/tokens', { method: 'POST', body: { name: 'prometheus' } });
  assert.equal(created.status, 201);
  const { token, item } = await created.json();
  assert.match(token, /^ii_[A-Za-z0-9_-]{40,}$/);
  assert.equal(item.name, 'prometheus');
  assert.equal(item.prefix, token.slice(0, 10));

  assert.equal((await call('/api/v1/videos', { token })).status, 200);
  assert.equal((await call('/api/metrics', { token })).status, 200);

  const list = await (await call('/api/v1/tokens')).json();
  assert.equal(list.items.length, 1);
  assert.equal(JSON.stringify(list).includes(token), false, 'the token is never shown again');
  assert.ok(list.items[0].lastUsedAt, 'last use recorded');

  const revoked = await call(`/api/v1/tokens/${item.id}`, { method: 'DELETE' });
  assert.equal(revoked.status, 200);
  assert.ok((await revoked.json()).revokedAt);
  assert.equal((await call('/api/v1/videos', { token })).status, 401);
  assert.equal((await call('/api/metrics', { token })).status, 401);
  assert.equal((await call('/api/v1/videos')).status, 200, 'API_TOKEN from the environment keeps working');

  const audit = (await (await call('/api/v1/settings')).json()).audit as { action: string; target: string; actor: string }[];
  assert.ok(audit.some((a) => a.action === 'token.create' && a.target === `token:${item.id}` && a.actor === 'token:API_TOKEN'));
  assert.ok(audit.some((a) => a.action === 'token.revoke'));
  assert.equal((await call('/api/v1/tokens', { method: 'POST', body: { name: '' } })).status, 400);
  assert.equal((await call('/api/v1/tokens/999999', { method: 'DELETE' })).status, 404);
});

test('token scopes: read only reads, review also changes the review work, admin also manages operators and tokens', async () => {
  const make = async (name: string, scope?: string) => (await (await call('/api/v1/tokens', { method: 'POST', body: { name, scope } })).json()) as { token: string; item: { id: string; scope: string } };
  const read = await make('dashboard');
  assert.equal(read.item.scope, 'read', 'least privilege by default');
  const review = await make('submit-script', 'review');
  const admin = await make('provisioning', 'admin');
  const submit = (token: string, id: string) => call('/api/v1/videos', { method: 'POST', token, body: { url: `https://www.youtube.com/watch?v=${id}` } });

  assert.equal((await call('/api/v1/videos', { token: read.token })).status, 200);
  const refused = await submit(read.token, 'aaaaaaaaaa1');
  assert.equal(refused.status, 403);
  assert.match((await refused.json()).error.message, /scope read/);
  assert.ok([200, 201, 202].includes((await submit(review.token, 'aaaaaaaaaa2')).status), 'review submits videos');

  for (const token of [read.token, review.token]) {
    for (const [path, method, body] of [
      ['/api/v1/operators', 'GET', undefined],
      ['/api/v1/operators', 'POST', { email: 'sneaky@example.com' }],
      ['/api/v1/tokens', 'GET', undefined],
      ['/api/v1/tokens', 'POST', { name: 'escalate', scope: 'admin' }],
      [`/api/v1/tokens/${read.item.id}`, 'DELETE', undefined],
    ] as const) {
      const res = await call(path, { method, body, token });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal((await res.json()).error.code, 'forbidden');
    }
  }
  assert.equal((await call('/api/v1/operators', { token: admin.token })).status, 200);
  assert.equal((await call('/api/v1/tokens', { method: 'POST', token: admin.token, body: { name: 'x', scope: 'root' } })).status, 400);
  const listed = (await (await call('/api/v1/tokens')).json()).items as { name: string; scope: string }[];
  assert.deepEqual(
    listed.filter((k) => k.name !== 'prometheus').map((k) => [k.name, k.scope]).sort(),
    [['dashboard', 'read'], ['provisioning', 'admin'], ['submit-script', 'review']],
  );
});

test('operators: add (password shown once), disable, reset password; the last admin stays', async () => {
  const added = await call('/api/v1/operators', { method: 'POST', body: { email: 'Reviewer@Example.com', name: '검토자' } });
  assert.equal(added.status, 201);
  const { operator, password } = await added.json();
  assert.equal(operator.email, 'reviewer@example.com');
  assert.equal(operator.role, 'operator');
  assert.ok(password && password.length >= 16);
  assert.equal((await call('/api/v1/operators', { method: 'POST', body: { email: 'reviewer@example.com' } })).status, 409);

  const disabled = await call(`/api/v1/operators/${operator.id}`, { method: 'PATCH', body: { disabled: true } });
  assert.equal((await disabled.json()).disabled, true);
  const reset = await (await call(`/api/v1/operators/${operator.id}/reset-password`, { method: 'POST' })).json();
  assert.ok(reset.password && reset.password !== password);

  const ops = (await (await call('/api/v1/operators')).json()).items as { id: string; role: string }[];
  const admin = ops.find((o) => o.role === 'admin')!;
  const refused = await call(`/api/v1/operators/${admin.id}`, { method: 'PATCH', body: { disabled: true } });
  assert.equal(refused.status, 409);
  assert.match((await refused.json()).error.message, /last active admin/);
});

test('settings: valid changes are stored and audited; bad values are refused naming the field', async () => {
  const ok = await call('/api/v1/settings/budgets', { method: 'PATCH', body: { llmDailyUsd: 2.5 } });
  assert.equal(ok.status, 200);
  assert.deepEqual((await ok.json()).value, { llmDailyUsd: 2.5, llmMonthlyUsd: 200 });
  const bad = await call('/api/v1/settings/thresholds', { method: 'PATCH', body: { pplHighRisk: 3 } });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.field, 'pplHighRisk');
  const cron = await call('/api/v1/settings/schedules', { method: 'PATCH', body: { backupCron: '99 99 * * *' } });
  assert.equal(cron.status, 400);
  const goodCron = await call('/api/v1/settings/schedules', { method: 'PATCH', body: { backupCron: '15 3 * * *' } });
  assert.equal(goodCron.status, 200);
  assert.equal((await call('/api/v1/settings/nope', { method: 'PATCH', body: {} })).status, 404);
  const all = await (await call('/api/v1/settings')).json();
  assert.equal(all.settings.budgets.llmDailyUsd, 2.5);
  assert.equal(all.settings.schedules.backupCron, '15 3 * * *');
  const change = all.audit.find((a: { action: string; target: string }) => a.action === 'settings.update' && a.target === 'budgets');
  assert.equal(change.detail.before.llmDailyUsd, 10);
  assert.equal(change.detail.after.llmDailyUsd, 2.5);
});

test('ops overview answers with queues, budget and integrations; retrying an unknown job is a clear error', async () => {
  const res = await call('/api/v1/ops');
  assert.equal(res.status, 200);
  const o = await res.json();
  assert.ok(o.queues.some((q: { name: string; usesLlm: boolean }) => q.name === 'video.windows' && q.usesLlm));
  assert.equal(o.budget.paused, false);
  assert.equal(o.integrations.find((i: { name: string }) => i.name === 'slack').configured, false);
  assert.equal((await call('/api/v1/ops/jobs/video.ingest/00000000-0000-0000-0000-000000000000/retry', { method: 'POST' })).status, 404);
  assert.equal((await call('/api/v1/ops/jobs/nope/x/retry', { method: 'POST' })).status, 400);
  assert.equal((await fetch(`${server.url}/api/v1/ops`)).status, 401);
});
