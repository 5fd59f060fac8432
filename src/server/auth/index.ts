import { and, count, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { getConfig } from '@/src/server/config';
import { now } from '@/src/server/clock';
import { getDb, schema } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { generatePassword, hashPassword, verifyPassword } from './passwords';
import { randomToken, safeEqual, sha256 } from './tokens';

export const SESSION_COOKIE = 'ii_session';
const { users, sessions, apiTokens, loginAttempts } = schema;

export type Operator = { id: number; email: string; name: string; role: 'admin' | 'operator' };
/** What an API token may do: read (GET only), review (also the review work), admin (also operators and tokens). */
export type TokenScope = 'read' | 'review' | 'admin';

export type Principal =
  | { kind: 'session'; user: Operator; sessionId: string }
  | { kind: 'token'; tokenId: number | null; name: string; scope: TokenScope };

const toOperator = (u: typeof users.$inferSelect): Operator => ({ id: u.id, email: u.email, name: u.name, role: u.role });

/**
 * Makes sure someone can sign in. On the very first start (no operators) it creates one from
 * ADMIN_EMAIL/ADMIN_PASSWORD, or with a generated password printed once. A configured ADMIN_EMAIL that does not
 * exist yet is created too, so a deployment can name its admin at any time.
 */
export async function ensureBootstrapOperator(): Promise<void> {
  const config = getConfig();
  const db = getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(727274002)`);
    const [{ n }] = await tx.select({ n: count() }).from(users);
    const email = (config.ADMIN_EMAIL ?? 'admin@influence.local').toLowerCase();
    if (n > 0) {
      if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD) return;
      const existing = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (existing.length) return;
    }
    const generated = !config.ADMIN_PASSWORD;
    const password = config.ADMIN_PASSWORD ?? generatePassword();
    await tx.insert(users).values({ email, name: '관리자', role: 'admin', passwordHash: await hashPassword(password) });
    if (generated) {
      // Printed once, to the terminal only (never through the logger, which may ship logs elsewhere).
      process.stdout.write(
        [
          '',
          '================================================================',
          '  influence-item: first operator created',
          `  sign in at ${config.APP_BASE_URL}/login`,
          `    e-mail:   ${email}`,
          `    password: ${password}`,
          '  This password is shown only once. Change it under 설정.',
          '================================================================',
          '',
        ].join('\n'),
      );
    }
    log.info({ email }, 'bootstrap operator created');
  });
}

const WINDOW_MS = 15 * 60 * 1000;
/** Wrong passwords for one e-mail from one address before that address is refused for that e-mail. */
const MAX_FAILURES_PER_EMAIL_AND_IP = 5;
/** Wrong passwords from one address (any e-mail) before that address is refused. */
const MAX_FAILURES_PER_IP = 20;
/** Verified when the e-mail is unknown, so an unknown account costs the same time as a wrong password. */
let decoyHash: Promise<string> | undefined;

/**
 * Signs in with e-mail and password; returns the new session token.
 * Throttled per address, never per e-mail alone: someone guessing from one address is stopped (5 wrong passwords
 * for one e-mail, 20 for any), but cannot lock the operator out, who signs in from another address with the right
 * password. The address is the one scripts/start.ts resolved (client-ip.ts), so X-Forwarded-For cannot rotate it.
 */
export async function signIn(input: { email: string; password: string; ip: string; userAgent?: string }) {
  const db = getDb();
  const email = input.email.trim().toLowerCase();
  const since = new Date(now().getTime() - WINDOW_MS);
  const failures = (extra?: SQL) =>
    db
      .select({ n: count() })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.ip, input.ip), eq(loginAttempts.success, false), gt(loginAttempts.at, since), extra));
  const [[byIp], [byEmailAndIp]] = await Promise.all([failures(), failures(eq(loginAttempts.email, email))]);
  if (byEmailAndIp.n >= MAX_FAILURES_PER_EMAIL_AND_IP || byIp.n >= MAX_FAILURES_PER_IP) {
    log.warn({ email, ip: input.ip }, 'sign-in throttled');
    throw new DomainError('rate_limited', '로그인 시도가 너무 많습니다. 15분 후에 다시 시도하세요. (too many attempts)');
  }
  const [user] = await db.select().from(users).where(eq(users.email, email));
  decoyHash ??= hashPassword(randomToken());
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash));
  const ok = !!user && !user.disabledAt && passwordOk;
  await db.insert(loginAttempts).values({ email, ip: input.ip, success: ok, at: now() });
  if (!ok || !user) {
    throw new DomainError('unauthorized', '이메일 또는 비밀번호가 올바르지 않습니다. (invalid e-mail or password)');
  }
  const token = randomToken();
  const days = getConfig().SESSION_DAYS;
  await db.insert(sessions).values({
    id: sha256(token),
    userId: user.id,
    expiresAt: new Date(now().getTime() + days * 86400_000),
    userAgent: input.userAgent?.slice(0, 300),
    ip: input.ip,
  });
  await db.update(users).set({ lastLoginAt: now() }).where(eq(users.id, user.id));
  log.info({ userId: user.id }, 'signed in');
  return { token, maxAgeSeconds: days * 86400, user: toOperator(user) };
}

export async function signOut(token: string | undefined): Promise<void> {
  if (!token) return;
  await getDb().delete(sessions).where(eq(sessions.id, sha256(token)));
}

/** The operator behind a session cookie, or null when it is missing, expired or the operator is disabled. */
export async function userFromSession(token: string | undefined): Promise<Principal | null> {
  if (!token) return null;
  const db = getDb();
  const id = sha256(token);
  const [row] = await db
    .select({ user: users, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row || row.expiresAt <= now() || row.user.disabledAt) return null;
  if (now().getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now() }).where(eq(sessions.id, id));
  }
  return { kind: 'session', user: toOperator(row.user), sessionId: id };
}

/** A Bearer token: API_TOKEN from the environment, or a token created in the console (stored hashed). */
export async function principalFromBearer(token: string | undefined): Promise<Principal | null> {
  if (!token) return null;
  const envToken = getConfig().API_TOKEN;
  if (envToken && safeEqual(token, envToken)) return { kind: 'token', tokenId: null, name: 'API_TOKEN', scope: 'admin' }; // the deployment's own token
  const db = getDb();
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  await db.update(apiTokens).set({ lastUsedAt: now() }).where(eq(apiTokens.id, row.id));
  return { kind: 'token', tokenId: row.id, name: row.name, scope: row.scope };
}

/** Who acted, for audit trails. */
export function actorOf(p: Principal): { userId: number | null; actor: string } {
  return p.kind === 'session' ? { userId: p.user.id, actor: p.user.email } : { userId: null, actor: `token:${p.name}` };
}
