import { index, integer, jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, ref } from './columns';
import { users } from './auth';

/** Every external call: provider, operation, units or tokens, cost, outcome, latency. Also the quota ledger. */
export const apiUsage = pgTable(
  'api_usage',
  {
    id: id(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    provider: text({ enum: ['gemini', 'coupang', 'youtube', 'youtube_feed', 'sheets', 'slack', 'media'] }).notNull(),
    operation: text().notNull(),
    videoId: ref(),
    candidateId: ref(),
    units: integer().notNull().default(0),
    inputTokens: integer().notNull().default(0),
    /** Of inputTokens, the audio ones (priced at the model's audio rate). */
    audioInputTokens: integer().notNull().default(0),
    outputTokens: integer().notNull().default(0),
    costUsd: numeric({ precision: 12, scale: 6 }).notNull().default('0'),
    /** The model that answered (Gemini's modelVersion), which the cost is priced by; null for other providers. */
    modelVersion: text(),
    outcome: text({ enum: ['ok', 'error', 'rejected'] }).notNull(),
    httpStatus: integer(),
    latencyMs: integer(),
    error: text(),
  },
  (t) => [index().on(t.provider, t.operation, t.at), index().on(t.videoId), index().on(t.at)],
);

/** Operational settings editable in the console (budgets, schedules, thresholds); each change audited. */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: ref().references(() => users.id, { onDelete: 'set null' }),
});

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    userId: ref().references(() => users.id, { onDelete: 'set null' }),
    actor: text().notNull(),
    action: text().notNull(),
    target: text(),
    detail: jsonb(),
  },
  (t) => [index().on(t.at)],
);
