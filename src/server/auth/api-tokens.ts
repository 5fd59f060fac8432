import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { now } from '@/src/server/clock';
import { getDb, schema } from '@/src/server/db';
import { DomainError, notFound } from '@/src/server/errors';
import { audit, type Actor } from '@/src/server/settings';
import { actorOf, type Principal, type TokenScope } from './index';
import { randomToken, sha256 } from './tokens';

/**
 * API tokens created under 설정: the token is shown once and stored only as its SHA-256 (auth/index.ts verifies
 * Bearer tokens by that hash). API_TOKEN from the environment keeps working beside them.
 */
export const createTokenInput = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
  scope: z.enum(['read', 'review', 'admin'], { message: 'expected read, review or admin' }).default('read'),
});

export type ApiTokenDto = { id: string; name: string; prefix: string; scope: TokenScope; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

const toDto = (t: typeof schema.apiTokens.$inferSelect): ApiTokenDto => ({
  id: String(t.id),
  name: t.name,
  prefix: t.prefix,
  scope: t.scope,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** Only operators with the admin role and admin-scoped API tokens manage tokens and operators. */
export function requireAdmin(p: Principal): Actor {
  if ((p.kind === 'session' ? p.user.role : p.scope) !== 'admin') {
    throw new DomainError('forbidden', '관리자만 할 수 있습니다. (admin role required)');
  }
  return actorOf(p);
}

export async function listApiTokens(): Promise<ApiTokenDto[]> {
  const rows = await getDb().select().from(schema.apiTokens).orderBy(desc(schema.apiTokens.id));
  return rows.map(toDto);
}

export async function createApiToken(input: z.infer<typeof createTokenInput>, by: Actor): Promise<{ token: string; item: ApiTokenDto }> {
  const token = randomToken('ii_');
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.apiTokens)
      .values({ name: input.name, scope: input.scope, tokenHash: sha256(token), prefix: token.slice(0, 10), createdBy: by.userId })
      .returning();
    await audit(tx, by, 'token.create', `token:${row.id}`, { name: row.name, prefix: row.prefix, scope: row.scope });
    return { token, item: toDto(row) };
  });
}

export async function revokeApiToken(id: string, by: Actor): Promise<ApiTokenDto> {
  if (!/^\d{1,15}$/.test(id)) throw new DomainError('not_found', `token ${id.slice(0, 20)} not found`, 'id');
  return getDb().transaction(async (tx) => {
    const [row] = await tx.select().from(schema.apiTokens).where(eq(schema.apiTokens.id, Number(id)));
    if (!row) throw notFound(`token ${id}`);
    if (row.revokedAt) return toDto(row);
    const [updated] = await tx.update(schema.apiTokens).set({ revokedAt: now() }).where(eq(schema.apiTokens.id, row.id)).returning();
    await audit(tx, by, 'token.revoke', `token:${row.id}`, { name: row.name, prefix: row.prefix });
    return toDto(updated);
  });
}
