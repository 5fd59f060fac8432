/**
 * npm run backup [-- --out <dir>]
 * Writes one dated archive (database + media) under DATA_DIR/backups (or --out); the last line printed is its path.
 * Old archives beyond the retention count in 설정 (retention.backupKeep) are removed from the default folder.
 */
import pg from 'pg';
import { getConfig } from '@/src/server/config';
import { createBackup, runningEmbeddedPort } from '@/src/server/ops/backup';
import { errorMessage } from '@/src/server/errors';

async function keepCount(): Promise<number> {
  const config = getConfig();
  const port = runningEmbeddedPort();
  const url = config.DATABASE_URL ?? (port ? `postgres://postgres@127.0.0.1:${port}/postgres` : undefined);
  if (!url) return 7;
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    const r = await c.query(`SELECT value FROM settings WHERE key = 'retention'`);
    const n = Number(r.rows[0]?.value?.backupKeep);
    return Number.isInteger(n) && n > 0 ? n : 7;
  } catch {
    return 7;
  } finally {
    await c.end().catch(() => {});
  }
}

async function main() {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const outDir = outIdx >= 0 ? args[outIdx + 1] : undefined;
  if (outIdx >= 0 && !outDir) throw new Error('--out needs a folder');
  const archive = await createBackup({ outDir, keep: outDir ? undefined : await keepCount() });
  process.stdout.write(`${archive}\n`);
}

main().catch((e) => {
  process.stderr.write(`backup failed: ${errorMessage(e)}\n`);
  process.exit(1);
});
