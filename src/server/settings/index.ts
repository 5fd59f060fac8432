import { desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { getConfig } from '@/src/server/config';
import { now } from '@/src/server/clock';
import { getDb, schema, type Executor } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { DEFAULT_PPL_THRESHOLDS } from '@/src/server/ppl/patterns';

/**
 * Operational settings editable under 설정, stored in `settings` (key → jsonb). Every key has a zod schema and a
 * default (from config where one exists); `getSetting` always returns a complete, valid value. Each change through
 * `updateSetting` is audited in `audit_events`.
 */
const cron = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, 'expected a cron expression with five fields (minute hour day month weekday)');
const usd = z.number().min(0).max(1_000_000).nullable();

export const settingSchemas = {
  budgets: z.object({
    /** LLM spend limit per day (days in TZ), USD; null = no limit. */
    llmDailyUsd: usd,
    llmMonthlyUsd: usd,
  }),
  thresholds: z.object({
    /** PPL confidence at or above which a candidate goes to the high-PPL-risk tab. */
    pplHighRisk: z.number().min(0).max(1),
    /** Total score below which a candidate is filtered as low score. */
    scoreMin: z.number().int().min(0).max(100),
    /** Coupang searches allowed per hour. */
    coupangSearchPerHour: z.number().int().min(1).max(10_000),
  }),
  schedules: z.object({
    feedPollCron: cron,
    dailySummaryCron: cron,
    backupCron: cron,
    mediaCleanupCron: cron,
  }),
  retention: z.object({
    /** Frames and crops older than this are removed, unless an open candidate shows them. */
    frameDays: z.number().int().min(1).max(3650),
    /** Extracted audio and downloaded source media older than this are removed. */
    audioDays: z.number().int().min(1).max(3650),
    /** Backup archives kept under DATA_DIR/backups. */
    backupKeep: z.number().int().min(1).max(365),
  }),
  alerts: z.object({
    /** Alert when no channel produced a new video for this many days. */
    noNewVideoDays: z.number().int().min(1).max(365),
    /** Alert when today's cost or failure rate exceeds this multiple of the 7-day average. */
    anomalyFactor: z.number().min(1.1).max(100),
  }),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingSchemas)[K]>;
export const settingKeys = Object.keys(settingSchemas) as SettingKey[];

export function settingDefaults(): { [K in SettingKey]: SettingValue<K> } {
  const c = getConfig();
  return {
    budgets: { llmDailyUsd: 10, llmMonthlyUsd: 200 },
    thresholds: { pplHighRisk: DEFAULT_PPL_THRESHOLDS.high, scoreMin: c.REVIEW_MIN_SCORE, coupangSearchPerHour: c.COUPANG_SEARCH_PER_HOUR },
    schedules: {
      feedPollCron: c.FEED_POLL_CRON,
      dailySummaryCron: '0 9 * * *',
      backupCron: '0 4 * * *',
      mediaCleanupCron: '30 4 * * *',
    },
    retention: { frameDays: 30, audioDays: 7, backupKeep: 7 },
    alerts: { noNewVideoDays: 3, anomalyFactor: 3 },
  };
}

/** A setting's current value: the stored value over its defaults (a stored value that no longer validates is ignored). */
export async function getSetting<K extends SettingKey>(key: K, db: Executor = getDb()): Promise<SettingValue<K>> {
  const def = settingDefaults()[key];
  const [row] = await db.select().from(schema.settings).where(eq(schema.settings.key, key));
  if (!row) return def;
  const parsed = settingSchemas[key].safeParse({ ...(def as object), ...(row.value as object) });
  if (!parsed.success) {
    log.warn({ key, issue: parsed.error.issues[0]?.message }, 'stored setting is invalid; using defaults');
    return def;
  }
  return parsed.data as SettingValue<K>;
}

export async function getAllSettings(): Promise<{ [K in SettingKey]: SettingValue<K> }> {
  const out = {} as Record<SettingKey, unknown>;
  for (const k of settingKeys) out[k] = await getSetting(k);
  return out as { [K in SettingKey]: SettingValue<K> };
}

import type { Actor } from '@/src/server/auth/actor';

export type { Actor };

/** Validates a partial change, stores it and audits old → new. Returns the new value. */
export async function updateSetting<K extends SettingKey>(key: K, patch: unknown, by: Actor): Promise<SettingValue<K>> {
  if (!settingKeys.includes(key)) throw new DomainError('not_found', `unknown setting ${key}`);
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new DomainError('bad_request', `setting ${key} expects an object`);
  }
  const db = getDb();
  return db.transaction(async (tx) => {
    const before = await getSetting(key, tx);
    const parsed = settingSchemas[key].safeParse({ ...(before as object), ...(patch as object) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.');
      throw new DomainError('bad_request', `${key}.${field}: ${issue.message}`, field);
    }
    const value = parsed.data as SettingValue<K>;
    await tx
      .insert(schema.settings)
      .values({ key, value, updatedAt: now(), updatedBy: by.userId })
      .onConflictDoUpdate({ target: schema.settings.key, set: { value, updatedAt: now(), updatedBy: by.userId } });
    await audit(tx, by, 'settings.update', key, { before, after: value });
    return value;
  });
}

/** Appends an audit event (who did what to which target). */
export async function audit(db: Executor, by: Actor, action: string, target: string | null, detail?: unknown): Promise<void> {
  await db.insert(schema.auditEvents).values({ at: now(), userId: by.userId, actor: by.actor, action, target, detail: detail ?? null });
}

/** Internal state kept in `settings` under `state.*` keys (not editable, not audited): Slack disabled, alerts sent… */
export async function getState<T>(key: string, db: Executor = getDb()): Promise<T | undefined> {
  const [row] = await db.select().from(schema.settings).where(eq(schema.settings.key, `state.${key}`));
  return row?.value as T | undefined;
}

export async function setState(key: string, value: unknown, db: Executor = getDb()): Promise<void> {
  const k = `state.${key}`;
  if (value === undefined || value === null) {
    await db.delete(schema.settings).where(eq(schema.settings.key, k));
    return;
  }
  await db
    .insert(schema.settings)
    .values({ key: k, value, updatedAt: now() })
    .onConflictDoUpdate({ target: schema.settings.key, set: { value, updatedAt: now() } });
}

export async function getStates(keys: string[]): Promise<Record<string, unknown>> {
  const rows = await getDb()
    .select()
    .from(schema.settings)
    .where(inArray(schema.settings.key, keys.map((k) => `state.${k}`)));
  return Object.fromEntries(rows.map((r) => [r.key.slice(6), r.value]));
}

/** Recent audit events, newest first. */
export async function listAuditEvents(limit = 50) {
  const rows = await getDb().select().from(schema.auditEvents).orderBy(desc(schema.auditEvents.id)).limit(Math.min(200, Math.max(1, limit)));
  return rows.map((r) => ({ id: String(r.id), at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, detail: r.detail }));
}
