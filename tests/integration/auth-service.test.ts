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
