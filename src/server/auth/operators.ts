import { and, asc, count, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { now } from '@/src/server/clock';
import { getDb, schema } from '@/src/server/db';
import { DomainError, notFound } from '@/src/server/errors';
import { audit, type Actor } from '@/src/server/settings';
import { generatePassword, hashPassword } from './passwords';

/** Operators (console users): add, disable/enable, reset password. Every change is audited; sessions end on disable/reset. */
export const addOperatorInput = z.object({
  email: z.email({ message: 'expected an e-mail address' }).transform((e) => e.toLowerCase()),
  name: z.string().trim().max(100).default(''),
  role: z.enum(['admin', 'operator']).default('operator'),
  password: z.string().min(8, 'expected at least 8 characters').optional(),
});
export const updateOperatorInput = z.object({ disabled: z.boolean().optional(), role: z.enum(['admin', 'operator']).optional() });

export type OperatorDto = { id: string; email: string; name: string; role: 'admin' | 'operator'; disabled: boolean; lastLoginAt: string | null; createdAt: string };

const toDto = (u: typeof schema.users.$inferSelect): OperatorDto => ({
  id: String(u.id),
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: !!u.disabledAt,
  lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  createdAt: u.createdAt.toISOString(),
});

export async function listOperators(): Promise<OperatorDto[]> {
  return (await getDb().select().from(schema.users).orderBy(asc(schema.users.id))).map(toDto);
}

/** Adds an operator; without a password one is generated and returned once. */
export async function addOperator(input: z.infer<typeof addOperatorInput>, by: Actor): Promise<{ operator: OperatorDto; password?: string }> {
  const generated = input.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.password ?? generated!);
  return getDb().transaction(async (tx) => {
    const [exists] = await tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, input.email));
    if (exists) throw new DomainError('conflict', `operator ${input.email} already exists`, 'email');
    const [u] = await tx.insert(schema.users).values({ email: input.email, name: input.name, role: input.role, passwordHash }).returning();
    await audit(tx, by, 'operator.add', `user:${u.id}`, { email: u.email, role: u.role });
    return { operator: toDto(u), password: generated };
  });
}

async function activeAdminsBesides(tx: Parameters<Parameters<ReturnType<typeof getDb>['transaction']>[0]>[0], id: number) {
  const [{ n }] = await tx
    .select({ n: count() })
    .from(schema.users)
    .where(and(eq(schema.users.role, 'admin'), isNull(schema.users.disabledAt), ne(schema.users.id, id)));
  return n;
}

export async function updateOperator(id: string, input: z.infer<typeof updateOperatorInput>, by: Actor): Promise<OperatorDto> {
  if (!/^\d{1,15}$/.test(id)) throw new DomainError('not_found', `operator ${id.slice(0, 20)} not found`, 'id');
  return getDb().transaction(async (tx) => {
    const [u] = await tx.select().from(schema.users).where(eq(schema.users.id, Number(id)));
    if (!u) throw notFound(`operator ${id}`);
    const losingAdmin = (input.disabled === true || input.role === 'operator') && u.role === 'admin' && !u.disabledAt;
    if (losingAdmin && (await activeAdminsBesides(tx, u.id)) === 0) {
      throw new DomainError('conflict', '마지막 관리자는 비활성화하거나 권한을 낮출 수 없습니다. (the last active admin must stay)');
    }
    if (input.disabled === true && by.userId === u.id) throw new DomainError('conflict', '자기 자신은 비활성화할 수 없습니다. (cannot disable yourself)');
    const set: Partial<typeof schema.users.$inferInsert> = {};
    if (input.disabled !== undefined) set.disabledAt = input.disabled ? (u.disabledAt ?? now()) : null;
    if (input.role !== undefined) set.role = input.role;
    if (Object.keys(set).length === 0) return toDto(u);
    const [updated] = await tx.update(schema.users).set(set).where(eq(schema.users.id, u.id)).returning();
    if (input.disabled) await tx.delete(schema.sessions).where(eq(schema.sessions.userId, u.id));
    await audit(tx, by, 'operator.update', `user:${u.id}`, { email: u.email, ...input });
    return toDto(updated);
  });
}

/** Sets a new generated password (returned once) and ends the operator's sessions. */
export async function resetOperatorPassword(id: string, by: Actor): Promise<{ operator: OperatorDto; password: string }> {
  if (!/^\d{1,15}$/.test(id)) throw new DomainError('not_found', `operator ${id.slice(0, 20)} not found`, 'id');
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return getDb().transaction(async (tx) => {
    const [u] = await tx.update(schema.users).set({ passwordHash }).where(eq(schema.users.id, Number(id))).returning();
    if (!u) throw notFound(`operator ${id}`);
    await tx.delete(schema.sessions).where(eq(schema.sessions.userId, u.id));
    await audit(tx, by, 'operator.reset_password', `user:${u.id}`, { email: u.email });
    return { operator: toDto(u), password };
  });
}
