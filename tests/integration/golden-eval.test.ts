import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db';
import { root } from '../helpers/server';

/** `npm run seed:demo` and `npm run eval -- --golden` as the operator runs them, against a real database. */
let db: { url: string; drop(): Promise<void> };
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: db.url, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ii-geval-')), LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });

before(async () => {
  db = await createTestDatabase('geval');
});
after(async () => {
  await db?.drop();
});

test('seed:demo adds flagged rows, refuses bad arguments, and --clear removes them', async () => {
  const bad = run('seed-demo.ts', ['--count', 'lots']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--count must be an integer/);
  const seeded = run('seed-demo.ts', ['--count', '25']);
  assert.equal(seeded.status, 0, seeded.stderr);
  assert.match(seeded.stdout, /added 25 demo candidates/);
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE is_demo)::int AS demo, count(DISTINCT current_status)::int AS statuses FROM candidates`);
    assert.equal(rows[0].n, 25);
    assert.equal(rows[0].demo, 25);
    assert.ok(rows[0].statuses >= 4, `spread over tabs: ${rows[0].statuses}`);

    // Operators reviewed three real candidates: two approved (one with a corrected product name), one rejected.
    await c.query(`UPDATE candidates SET is_demo = false WHERE id IN (SELECT id FROM candidates ORDER BY id LIMIT 3)`);
    const ids = (await c.query(`SELECT id FROM candidates WHERE NOT is_demo ORDER BY id`)).rows.map((r) => r.id);
    await c.query(`UPDATE candidates SET current_status = 'approved' WHERE id IN ($1, $2)`, [ids[0], ids[1]]);
    await c.query(`UPDATE candidates SET current_status = 'rejected' WHERE id = $1`, [ids[2]]);
    await c.query(`INSERT INTO golden_examples (candidate_id, field, model_value, human_value) VALUES ($1, 'product_name', '"확인 필요"', '"라운드랩 독도 토너"')`, [ids[0]]);

    const evald = run('eval.ts', ['--golden']);
    assert.equal(evald.status, 0, evald.stderr);
    assert.match(evald.stdout, /3 reviewed candidates/);
    assert.match(evald.stdout, /precision .*66\.7%/);
    assert.match(evald.stdout, /product_name\s+2\s+1\s+50\.0%/);
    assert.match(evald.stdout, /category_path\s+2\s+2\s+100\.0%/);

    const cleared = run('seed-demo.ts', ['--clear']);
    assert.equal(cleared.status, 0, cleared.stderr);
    assert.match(cleared.stdout, /removed \d+ candidates/);
    const left = await c.query(`SELECT count(*)::int AS n FROM celebrities WHERE is_demo`);
    assert.equal(left.rows[0].n, 0);
  } finally {
    await c.end();
  }
});
