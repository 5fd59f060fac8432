import { desc, eq } from 'drizzle-orm';
import { getConfig } from '@/src/server/config';
import { getDb, getPool, schema } from '@/src/server/db';
import { DomainError, errorMessage } from '@/src/server/errors';
import { createSheetsClient, sheetsConfigured } from '@/src/server/integrations/sheets/client';
import { log } from '@/src/server/logger';
import { exportCandidates, exportChannels } from './export';
import { importChannelsFromSheet, type ImportResult } from './import-channels';
import type { UpsertResult } from './keyed-rows';

export { importChannelsFromSheet } from './import-channels';
export { exportCandidates, exportChannels } from './export';
export { planKeyedRows } from './keyed-rows';

const { auditEvents } = schema;

export type SheetsSyncResult = {
  spreadsheetId: string;
  import: ImportResult;
  channels: UpsertResult;
  candidates: UpsertResult;
  finishedAt: string;
};

export type SheetsStatus = {
  configured: boolean;
  missing: string[];
  sheets: { import: string; channels: string; candidates: string };
  lastSync: { at: string; ok: boolean; actor: string; result?: SheetsSyncResult; error?: string } | null;
};

/** Any number; all processes agree on it. Serializes syncs (cron job and button) across processes. */
const SYNC_LOCK = 0x5e375;

/**
 * Import channels from the team's sheet, then export channels and approved/published candidates to their tabs.
 * One sync at a time (a second caller gets 409). The outcome is recorded as an audit event.
 */
export async function syncSheets(actor = 'system', userId: number | null = null): Promise<SheetsSyncResult> {
  const client = createSheetsClient(); // not configured → 503 naming the variables
  const config = getConfig();
  const lock = await getPool().connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [SYNC_LOCK]);
    if (!rows[0]?.ok) throw new DomainError('conflict', 'A Google Sheets sync is already running; try again in a minute.');
    try {
      const imported = await importChannelsFromSheet(client, config.SHEETS_IMPORT_SHEET);
      const channels = await exportChannels(client, config.SHEETS_CHANNELS_SHEET);
      const candidates = await exportCandidates(client, config.SHEETS_CANDIDATES_SHEET);
      const result: SheetsSyncResult = { spreadsheetId: client.spreadsheetId, import: imported, channels, candidates, finishedAt: new Date().toISOString() };
      await getDb().insert(auditEvents).values({ userId, actor, action: 'sheets.sync', target: client.spreadsheetId, detail: { ok: true, result } });
      log.info({ import: { created: imported.created, existing: imported.existing, skipped: imported.skipped.length }, channels, candidates }, 'sheets synced');
      return result;
    } catch (err) {
      await getDb()
        .insert(auditEvents)
        .values({ userId, actor, action: 'sheets.sync', target: client.spreadsheetId, detail: { ok: false, error: errorMessage(err) } })
        .catch(() => {});
      throw err;
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [SYNC_LOCK]).catch(() => {});
    }
  } finally {
    lock.release();
  }
}

/** Configuration, tab names and the last sync (for the console button and the API). */
export async function sheetsStatus(): Promise<SheetsStatus> {
  const config = getConfig();
  const { configured, missing } = sheetsConfigured();
  const [last] = await getDb()
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, 'sheets.sync'))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  const detail = (last?.detail ?? {}) as { ok?: boolean; result?: SheetsSyncResult; error?: string };
  return {
    configured,
    missing,
    sheets: { import: config.SHEETS_IMPORT_SHEET, channels: config.SHEETS_CHANNELS_SHEET, candidates: config.SHEETS_CANDIDATES_SHEET },
    lastSync: last ? { at: last.at.toISOString(), ok: !!detail.ok, actor: last.actor, result: detail.result, error: detail.error } : null,
  };
}

/** The sheets.sync cron step: a sync when Google Sheets is configured, else a log line saying what is missing. */
export async function syncSheetsOnSchedule(): Promise<void> {
  const { configured, missing } = sheetsConfigured();
  if (!configured) return log.info({ missing }, 'sheets.sync: Google Sheets is not configured; nothing to do');
  await syncSheets('system');
}
