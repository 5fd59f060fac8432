/**
 * `npm run seed:demo -- --count N` adds N demo candidates (with their celebrities, channels and videos) spread over
 * every tab, category, score and date; `npm run seed:demo -- --clear` removes every demo row. Works against
 * DATABASE_URL, or the embedded database under DATA_DIR (created and migrated if needed), whether the app is
 * running or not. Demo rows are flagged and shown with a 데모 badge in the console.
 */
import { getConfig } from '@/src/server/config';
import { getDb, startDatabase, stopDatabase } from '@/src/server/db';
import { clearDemo, seedDemo } from '@/src/demo/seed-candidates';

function usage(msg?: string): never {
  if (msg) console.error(`seed:demo: ${msg}`);
  console.error('usage: npm run seed:demo -- --count N   (1 ≤ N ≤ 1000000)\n       npm run seed:demo -- --clear');
  process.exit(2);
}

const argv = process.argv.slice(2);
const clear = argv.includes('--clear');
const countAt = argv.indexOf('--count');
const countArg = countAt >= 0 ? argv[countAt + 1] : argv.find((a) => a.startsWith('--count='))?.slice('--count='.length);
if (!clear && countArg === undefined) usage();
const count = countArg === undefined ? 0 : Number(countArg);
if (countArg !== undefined && (!Number.isInteger(count) || count < 1 || count > 1_000_000)) usage(`--count must be an integer from 1 to 1000000, not "${countArg}"`);

try {
  getConfig();
  await startDatabase();
  const db = getDb();
  if (clear) {
    const r = await clearDemo(db);
    console.log(`seed:demo: removed ${r.candidates} candidates, ${r.videos} videos, ${r.channels} channels, ${r.celebrities} celebrities (demo rows only)`);
  }
  if (count) {
    const t0 = Date.now();
    const r = await seedDemo(db, { count });
    console.log(`seed:demo: added ${r.candidates} demo candidates on ${r.videos} demo videos in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  await stopDatabase();
} catch (e) {
  console.error(`seed:demo failed: ${(e as Error).message}`);
  await stopDatabase().catch(() => {});
  process.exit(1);
}
