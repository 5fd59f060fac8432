/**
 * npm run restore -- <archive> [--force]
 * Restores a backup into the configured database (DATABASE_URL, or the embedded one under DATA_DIR, created when
 * missing; the app must be stopped) and the media folder. Refuses a target that holds data unless --force.
 */
import { restoreBackup } from '@/src/server/ops/backup';
import { errorMessage } from '@/src/server/errors';

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const archive = args.find((a) => !a.startsWith('--'));
  if (!archive) throw new Error('usage: npm run restore -- <archive.tar.gz> [--force]');
  const r = await restoreBackup(archive, { force });
  process.stdout.write(`restored ${archive} into the ${r.database} database (${r.from === 'files' ? 'file copy' : 'pg_dump'})${r.media ? ' and the media folder' : ''}\n`);
}

main().catch((e) => {
  process.stderr.write(`restore failed: ${errorMessage(e)}\n`);
  process.exit(1);
});
