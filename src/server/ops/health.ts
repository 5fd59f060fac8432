import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/src/server/config';
import { databaseStatus, getPool, noteDatabaseError } from '@/src/server/db';
import { getBoss, queueStarted } from '@/src/server/queue';
import { modelStatus } from '@/src/models/registry';
import { modelFetchStatuses, type ModelFetchStatus } from '@/src/server/ops/models';
import { slackDisabledState } from '@/src/server/integrations/slack/client';

/** Slack is configured, and not stopped because its webhook is gone (404/410). */
async function slackHealth(url: string | undefined, dbUp: boolean): Promise<{ configured: boolean; detail?: string }> {
  if (!url) return { configured: false };
  const gone = dbUp ? await slackDisabledState().catch(() => undefined) : undefined;
  return gone ? { configured: true, detail: `webhook gone (HTTP ${gone.status} at ${gone.at}); sending stopped` } : { configured: true };
}

export type Health = {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  role: string;
  /** `since`: when the running app lost its database (ISO time), while it is down. */
  database: { ok: boolean; embedded: boolean; error?: string; since?: string };
  queue: { ok: boolean; error?: string };
  integrations: Record<string, { configured: boolean; detail?: string }>;
  /**
   * Every model with its files and its download state (`state`: present, queued, downloading with `progress`,
   * failed with `reason` offline | checksum_mismatch | stalled | http_status | error, missing, not_needed).
   */
  models: HealthModel[];
};

export type HealthModel = { name: string; present: boolean; missing: string[]; sha256?: string } & Partial<Omit<ModelFetchStatus, 'name' | 'reason'>> &
  Pick<ModelFetchStatus, 'state'> & { reason?: ModelFetchStatus['reason'] | 'npm_package' };

/** Files on disk (registry) joined with the background download's state; OCR models come from npm packages. */
async function modelsHealth(): Promise<HealthModel[]> {
  const fetchStates = new Map(modelFetchStatuses().map((s) => [s.name, s]));
  const files = await modelStatus().catch(() => []);
  return files.map((m) => {
    const { name: _name, ...st } = fetchStates.get(m.name) ?? {
      name: m.name,
      state: m.present ? ('present' as const) : ('missing' as const),
      ...(m.present ? {} : { reason: 'npm_package' as const, message: 'part of an npm package: reinstall the packages (npm ci)' }),
    };
    return { name: m.name, present: m.present, missing: m.missing, ...(m.sha256 ? { sha256: m.sha256 } : {}), ...st };
  });
}

const version = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(/* turbopackIgnore: true */ process.cwd(), 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
})();

/** What works and what does not, without secrets. `down` when the database or the queue is unavailable. */
export async function getHealth(startError?: unknown): Promise<Health> {
  const config = getConfig();
  const database: Health['database'] = { ok: false, embedded: !config.DATABASE_URL };
  const queue: Health['queue'] = { ok: false };
  if (startError) {
    database.error = (startError as Error).message?.split('\n')[0];
  } else {
    try {
      await getPool().query('SELECT 1');
      database.ok = true;
    } catch (e) {
      // The database watch (src/server/db/watch.ts) knows since when; a failure it has not confirmed yet starts now.
      noteDatabaseError(e);
      const down = databaseStatus();
      database.since = down.since ?? new Date().toISOString();
      database.error = `database unavailable since ${database.since}: ${(e as Error).message || (e as { code?: string }).code}`;
    }
    try {
      if (!queueStarted()) throw new Error('not started');
      await getBoss().getQueue('video.ingest');
      queue.ok = true;
    } catch (e) {
      queue.error = database.ok ? (e as Error).message : `database unavailable: ${(e as Error).message}`;
    }
  }
  const integrations: Health['integrations'] = {
    gemini: { configured: !!config.GEMINI_API_KEY, detail: config.GEMINI_API_KEY ? config.GEMINI_MODEL : 'rule-based analysis in use' },
    coupang: { configured: !!(config.COUPANG_ACCESS_KEY && config.COUPANG_SECRET_KEY) },
    youtubeData: { configured: !!config.YOUTUBE_API_KEY },
    sheets: { configured: !!(config.GOOGLE_SERVICE_ACCOUNT_JSON && config.SHEETS_SPREADSHEET_ID) },
    slack: await slackHealth(config.SLACK_WEBHOOK_URL, !startError),
  };
  const models = await modelsHealth();
  const up = database.ok && queue.ok;
  return {
    status: up ? 'ok' : 'down',
    version,
    role: config.APP_ROLE,
    database,
    queue,
    integrations,
    models,
  };
}
