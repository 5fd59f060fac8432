/**
 * `npm run test:reliability`: the reliability suite (tests/reliability) against a real Postgres and the built app,
 * then docs/RELIABILITY.md from the figures its suites recorded (tests/reliability/lib/figures.ts): what was done to
 * the app and what came out, next to each suite's pass/fail. Exits non-zero when a suite fails; the document is written
 * either way so a failure shows what it broke.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from '../tests/reliability/lib/figures';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = '1';
process.env.LOG_LEVEL ??= 'warn';
process.env.MODELS_AUTO_FETCH ??= 'off';
if (!process.env.SHARED_DIR && fs.existsSync(path.join(root, '..', 'shared'))) process.env.SHARED_DIR = path.resolve(root, '..', 'shared');
process.env.MODELS_DIR ??= process.env.SHARED_DIR ? path.join(process.env.SHARED_DIR, 'models') : undefined;

const DOC = path.join(root, 'docs', 'RELIABILITY.md');
const figuresFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ii-reliability-')), 'figures.jsonl');
const chosen = process.argv.slice(2).filter((a) => a.endsWith('.ts'));
const suites = chosen.length
  ? chosen
  : fs
      .readdirSync(path.join(root, 'tests', 'reliability'))
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => path.join('tests', 'reliability', f));

let stopEmbedded: (() => Promise<void>) | undefined;
if (!process.env.TEST_DATABASE_URL) {
  const { startEmbeddedPostgres } = await import('../src/server/db/embedded');
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-rel-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: pgDir, port: 54349 });
  process.env.TEST_DATABASE_URL = pg.url;
  stopEmbedded = async () => {
    await pg.stop();
    fs.rmSync(pgDir, { recursive: true, force: true });
  };
}
delete process.env.DATABASE_URL;

const started = Date.now();
let code = 1;
const results: { file: string; pass: number; fail: number; ms: number }[] = [];
try {
  const { buildIfNeeded } = await import('./build-if-needed');
  if (!buildIfNeeded(root)) throw new Error('the build failed');
  process.env.SKIP_BUILD = '1';
  code = 0;
  // one suite at a time: they kill processes and fill disks, and their timings should not disturb each other
  for (const file of suites) {
    const t0 = Date.now();
    const res = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], { ...process.env, RELIABILITY_FIGURES: figuresFile });
    const n = (label: string) => Number(new RegExp(`^\\S*\\s*${label} (\\d+)`, 'm').exec(res.out)?.[1] ?? 0);
    results.push({ file, pass: n('pass'), fail: n('fail') + (res.code !== 0 && n('fail') === 0 ? 1 : 0), ms: Date.now() - t0 });
    if (res.code !== 0) code = 1;
  }
} finally {
  await stopEmbedded?.();
}

const figures: Figure[] = fs.existsSync(figuresFile)
  ? fs.readFileSync(figuresFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Figure)
  : [];
for (const f of figures) console.log(`figure · ${f.area} · ${f.name}: ${f.value}${f.note ? ` (${f.note})` : ''}`);
if (!chosen.length) fs.writeFileSync(DOC, renderDoc(figures));
const pass = results.reduce((a, r) => a + r.pass, 0);
const fail = results.reduce((a, r) => a + r.fail, 0);
console.log(`\nreliability: ${pass} passed, ${fail} failed in ${Math.round((Date.now() - started) / 1000)} s${chosen.length ? '' : ` · ${path.relative(root, DOC)} written`}`);
process.exit(code);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    for (const s of [child.stdout, child.stderr]) s.on('data', (d) => ((out += d), (s === child.stdout ? process.stdout : process.stderr).write(d)));
    child.on('exit', (c) => resolve({ code: c ?? 1, out }));
  });
}

function renderDoc(figs: Figure[]): string {
  const areas = [...new Set(figs.map((f) => f.area))];
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Reliability — what the app was put through, and what came out',
    '',
    `Written by \`npm run test:reliability\` (scripts/reliability.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
      `${os.cpus().length} cores, Node ${process.version}. Every figure below comes from that run; each suite's assertions are the verdict ` +
      '(a suite fails when a figure is outside what it allows).',
    '',
    '| Suite | Passed | Failed | Time |',
    '|---|---:|---:|---:|',
    ...results.map((r) => `| \`${r.file}\` | ${r.pass} | ${r.fail} | ${(r.ms / 1000).toFixed(0)} s |`),
    '',
  ];
  for (const area of areas) {
    lines.push(`## ${area}`, '', '| Figure | Value | Note |', '|---|---:|---|');
    for (const f of figs.filter((x) => x.area === area)) lines.push(`| ${esc(f.name)} | ${esc(String(f.value))} | ${esc(f.note ?? '')} |`);
    lines.push('');
  }
  return lines.join('\n');
}
