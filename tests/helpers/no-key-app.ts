import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from './db';

/**
 * The app started in-process on a database and data folder of its own, with no external keys (the rule analyzer,
 * no Coupang, no Slack) and 3 frames per window, as the pipeline tests run it. `env` adds or overrides variables.
 */
export async function startNoKeyApp(prefix: string, env: Record<string, string> = {}) {
  const db = await createTestDatabase(prefix);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ii-${prefix}-`));
  for (const k of ['GEMINI_API_KEY', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'SLACK_WEBHOOK_URL', 'APP_ROLE', 'WORKER_QUEUES']) delete process.env[k];
  Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', VISUAL_FRAMES_PER_WINDOW: '3', ...env });
  (await import('@/src/server/config')).resetConfig();
  const app = await import('@/src/start');
  await app.startApp();
  return {
    dataDir,
    async stop() {
      await (await import('@/src/models/ocr')).closeOcr();
      await app.stopApp();
      for (const k of Object.keys(env)) delete process.env[k];
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
