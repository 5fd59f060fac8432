import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { resetConfig } from '@/src/server/config';
import { setClock } from '@/src/server/clock';

let db: { url: string; drop(): Promise<void> };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-auth-'));

before(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    ADMIN_EMAIL: 'Boss@Example.com',
    ADMIN_PASSWORD: 'first-password-1',
    API_TOKEN: 'env-token-0123456789abcdef',
    APP_ROLE: 'web',
  });
  resetConfig();
  const { startApp } = await import('@/src/start');
  await startApp();
});

after(async () => {
  setClock(undefined);
  const { stopApp } = await import('@/src/start');
  await stopApp();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the bootstrap operator exists once, with a hashed password', async () => {
  const { getDb, schema } = await import('@/src/server/db');
  const { ensureBootstrapOperator } = await import('@/src/server/auth');
  await ensureBootstrapOperator(); // a second start changes nothing
  const rows = await getDb().select().from(schema.users);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].email, 'boss@example.com');
  assert.equal(rows[0].role, 'admin');
  assert.doesNotMatch(rows[0].passwordHash, /first-password-1/);
});

test('sign in creates a database session; sign out ends it', async () => {
  const { signIn, signOut, userFromSession } = await import('@/src/server/auth');
  const s = await signIn({ email: ' BOSS@example.com ', password: 'first-password-1', ip: '10.0.0.1' });
  const who = await userFromSession(s.token);
  assert.equal(who?.kind, 'session');
  assert.equal(who?.kind === 'session' && who.user.email, 'boss@example.com');
  await signOut(s.token);
  assert.equal(await userFromSession(s.token), null);
  assert.equal(await userFromSession('not-a-session'), null);
});

test('sessions expire, and a disabled operator loses access at once', async () => {
  const { signIn, userFromSession } = await import('@/src/server/auth');
  const { getDb, schema } = await import('@/src/server/db');
  const s = await signIn({ email: 'boss@example.com', password: 'first-password-1', ip: '10.0.0.2' });
  setClock(new Date(Date.now() + 15 * 86400_000));
  assert.equal(await userFromSession(s.token), null, 'expired after SESSION_DAYS');
  setClock(undefined);
  const s2 = await signIn({ email: 'boss@example.com', password: 'first-password-1', ip: '10.0.0.2' });
  await getDb().update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.email, 'boss@example.com'));
  assert.equal(await userFromSession(s2.token), null);
  await getDb().update(schema.users).set({ disabledAt: null }).where(eq(schema.users.email, 'boss@example.com'));
});

test('repeated failures throttle sign-in for that e-mail, even with the right password', async () => {
  const { signIn } = await import('@/src/server/auth');
  const { DomainError } = await import('@/src/server/errors');
  for (let i = 0; i < 5; i++) {
    await assert.rejects(signIn({ email: 'boss@example.com', password: 'wrong', ip: '10.0.0.3' }), (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, 'unauthorized');
      return true;
    });
  }
  await assert.rejects(signIn({ email: 'boss@example.com', password: 'first-password-1', ip: '10.0.0.3' }), (e: unknown) => {
    assert.ok(e instanceof DomainError);
    assert.equal(e.code, 'rate_limited');
    return true;
  });
  // After the window the right password works again.
  setClock(new Date(Date.now() + 16 * 60_000));
  const s = await signIn({ email: 'boss@example.com', password: 'first-password-1', ip: '10.0.0.3' });
  assert.ok(s.token.length > 30);
  setClock(undefined);
});

test('failures from one address never lock the operator out: the right password from another address works', async () => {
  const { signIn } = await import('@/src/server/auth');
  const { DomainError } = await import('@/src/server/errors');
  const code = (e: unknown) => (e instanceof DomainError ? e.code : String(e));
  for (let i = 0; i < 6; i++) await signIn({ email: 'boss@example.com', password: 'guess-' + i, ip: '203.0.113.7' }).catch(() => {});
  await assert.rejects(signIn({ email: 'boss@example.com', password: 'first-password-1', ip: '203.0.113.7' }), (e: unknown) => code(e) === 'rate_limited');
  const s = await signIn({ email: 'boss@example.com', password: 'first-password-1', ip: '198.51.100.20' });
  assert.ok(s.token.length > 30, 'the operator signs in from their own address');
  // one address guessing many e-mails is stopped after 20 wrong passwords, for every e-mail
  for (let i = 0; i < 20; i++) await signIn({ email: `nobody${i}@example.com`, password: 'x', ip: '203.0.113.8' }).catch(() => {});
  await assert.rejects(signIn({ email: 'boss@example.com', password: 'first-password-1', ip: '203.0.113.8' }), (e: unknown) => code(e) === 'rate_limited');
});

test('an unknown e-mail costs as much time as a wrong password (no account enumeration by timing)', async () => {
  const { signIn } = await import('@/src/server/auth');
  const median = async (email: string, ipBase: number) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await signIn({ email, password: 'wrong-password', ip: `192.0.2.${ipBase + i}` }).catch(() => {});
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[2];
  };
  setClock(new Date(Date.now() + 16 * 60_000)); // past the earlier tests' failures: nothing is throttled here
  await median('nobody@example.com', 100); // warm-up: the decoy hash is made once
  const known = await median('boss@example.com', 110);
  const unknown = await median('nobody@example.com', 120);
  // both verify one scrypt hash (tens of ms); before, an unknown e-mail skipped it and answered in a third of the time
  setClock(undefined);
  assert.ok(unknown > known * 0.6 && unknown < known * 1.7, `known ${known.toFixed(0)} ms, unknown ${unknown.toFixed(0)} ms`);
});

test('Bearer: the environment token and stored tokens authorize; revoked ones do not', async () => {
  const { principalFromBearer } = await import('@/src/server/auth');
  const { sha256 } = await import('@/src/server/auth/tokens');
  const { getDb, schema } = await import('@/src/server/db');
  assert.equal((await principalFromBearer('env-token-0123456789abcdef'))?.kind, 'token');
  assert.equal(await principalFromBearer('env-token-0123456789abcdeX'), null);
  const [row] = await getDb()
    .insert(schema.apiTokens)
    .values({ name: 'automation', tokenHash: sha256('stored-token-xyz-0123456789'), prefix: 'stored-' })
    .returning();
  assert.equal((await principalFromBearer('stored-token-xyz-0123456789'))?.kind, 'token');
  await getDb().update(schema.apiTokens).set({ revokedAt: new Date() }).where(eq(schema.apiTokens.id, row.id));
  assert.equal(await principalFromBearer('stored-token-xyz-0123456789'), null);
});
