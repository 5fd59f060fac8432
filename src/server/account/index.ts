import { and, count, eq, gt, ne } from 'drizzle-orm';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '@/src/server/auth/passwords';
import { now } from '@/src/server/clock';
import { getDb, schema } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { audit } from '@/src/server/settings';

/**
 * The signed-in operator's own account: changing one's own password (설정 → 내 비밀번호 변경), which the start log
 * points to after printing a generated password. Unlike an admin's reset it keeps the session it was made from (the
 * operator stays signed in and knows the new password); every other session of that operator ends.
 *
 * (Belongs beside resetOperatorPassword in auth/operators.ts; kept here while auth/ is closed for edits.)
 */
export const changeOwnPasswordInput = z.object({
  currentPassword: z.string().min(1, 'currentPassword is required'),
  newPassword: z.string().min(8, 'expected at least 8 characters').max(200, 'expected at most 200 characters'),
});

const { users, sessions, loginAttempts } = schema;
const WINDOW_MS = 15 * 60 * 1000;
/** Wrong current passwords for one operator from one address before that address is refused (as for sign-in). */
const MAX_FAILURES = 5;

export async function changeOwnPassword(
  me: { userId: number; email: string; sessionId: string; ip: string },
  input: z.infer<typeof changeOwnPasswordInput>,
): Promise<{ endedSessions: number }> {
  const db = getDb();
  const since = new Date(now().getTime() - WINDOW_MS);
  const [{ n }] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, me.email), eq(loginAttempts.ip, me.ip), eq(loginAttempts.success, false), gt(loginAttempts.at, since)));
  if (n >= MAX_FAILURES) throw new DomainError('rate_limited', 'Too many wrong current passwords; try again in 15 minutes.');
  const [user] = await db.select().from(users).where(eq(users.id, me.userId));
  if (!user || user.disabledAt) throw new DomainError('unauthorized', 'Sign in again.');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    // counted like a wrong sign-in password, so the form cannot be used to guess it
    await db.insert(loginAttempts).values({ email: me.email, ip: me.ip, success: false, at: now() });
    throw new DomainError('bad_request', 'currentPassword is not the current password.', 'currentPassword');
  }
  if (input.newPassword === input.currentPassword) {
    throw new DomainError('bad_request', 'newPassword must differ from the current password.', 'newPassword');
  }
  const passwordHash = await hashPassword(input.newPassword);
  const ended = await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    const gone = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, user.id), ne(sessions.id, me.sessionId)))
      .returning({ id: sessions.id });
    await audit(tx, { userId: user.id, actor: user.email }, 'operator.change_password', `user:${user.id}`, { email: user.email, endedSessions: gone.length });
    return gone.length;
  });
  log.info({ userId: user.id, endedSessions: ended }, 'operator changed own password');
  return { endedSessions: ended };
}
