/**
 * `npm test`: type-checks, runs unit + integration suites (node's test runner) against a real Postgres — the one in
 * TEST_DATABASE_URL/DATABASE_URL, else an embedded one started here — builds the app, runs the browser suite
 * (Playwright + Debian chromium), and prints one closing line: `N passed, N failed`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = '1';
process.env.LOG_LEVEL ??= 'warn';
if (!process.env.SHARED_DIR && fs.existsSync(path.join(root, '..', 'shared'))) process.env.SHARED_DIR = path.resolve(root, '..', 'shared');
process.env.MODELS_DIR ??= process.env.SHARED_DIR ? path.join(process.env.SHARED_DIR, 'models') : undefined;
// Tests never download models from the real hosts; the suites that test the download turn it on against a fake.
process.env.MODELS_AUTO_FETCH ??= 'off';

const argv = process.argv.slice(2);
// `npm test -- node tests/x.test.ts` runs one suite on chosen files; no arguments runs everything.
const files = argv.filter((a) => a.endsWith('.ts'));
const args = argv.filter((a) => !a.endsWith('.ts'));
const only = (name: string) => args.length === 0 || args.includes(name);

function run(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

function findTests(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

let passed = 0;
let failed = 0;
const problems: string[] = [];

if (only('typecheck')) {
  console.log('\n== typecheck');
  const tsc = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json']);
  if (tsc.code === 0) passed += 1;
  else {
    failed += 1;
    problems.push('typecheck');
  }
}

// The analyzer's quality on its tuning set must not regress (the blind set's figures are printed, never asserted).
if (only('eval')) {
  console.log('\n== eval (npm run eval -- --check)');
  const ev = await run(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'eval.ts'), '--check']);
  if (ev.code === 0) passed += 1;
  else {
    failed += 1;
    problems.push('eval: the tuning set regressed');
  }
}

// A real Postgres for every suite: the configured server, else an embedded one for the duration of the run.
let stopEmbedded: (() => Promise<void>) | undefined;
if (!process.env.TEST_DATABASE_URL) {
  if (process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
  else {
    const { startEmbeddedPostgres } = await import('../src/server/db/embedded');
    const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-test-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: pgDir, port: 54339 });
    process.env.TEST_DATABASE_URL = pg.url;
    stopEmbedded = async () => {
      await pg.stop();
      fs.rmSync(pgDir, { recursive: true, force: true });
    };
  }
}
delete process.env.DATABASE_URL; // each suite creates its own database from TEST_DATABASE_URL

try {
  // The integration suites start the built app; build once here.
  if (only('node') || only('e2e')) {
    console.log('\n== build');
    const { buildIfNeeded } = await import('./build-if-needed');
    const build = { code: buildIfNeeded(root) ? 0 : 1 };
    process.env.SKIP_BUILD = '1'; // servers started by the suites use this build as it is
    if (build.code !== 0) {
      failed += 1;
      problems.push('build');
    }
  }

  if (only('node') && !problems.includes('build')) {
    const suite = files.length ? files.filter((f) => f.endsWith('.test.ts')) : [...findTests('tests/unit', '.test.ts'), ...findTests('tests/integration', '.test.ts')];
    console.log(`\n== unit + integration (${suite.length} files)`);
    const res = await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...suite]);
    const n = (label: string) => Number(new RegExp(`^\\S*\\s*${label} (\\d+)`, 'm').exec(res.out)?.[1] ?? 0);
    passed += n('pass');
    failed += n('fail');
    if (res.code !== 0 && n('fail') === 0) {
      failed += 1;
      problems.push('node test runner exited with an error');
    }
  }

  if (only('e2e') && !problems.includes('build')) {
    console.log('\n== browser (Playwright + chromium)');
    const report = path.join(os.tmpdir(), `ii-e2e-${process.pid}.json`);
    const res = await run(process.execPath, [path.join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '--reporter=list,json', ...files.filter((f) => f.endsWith('.spec.ts'))], {
      ...process.env,
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    });
    try {
      const stats = JSON.parse(fs.readFileSync(report, 'utf8')).stats as { expected: number; unexpected: number; flaky: number };
      passed += stats.expected + stats.flaky;
      failed += stats.unexpected;
    } catch {
      failed += 1;
      problems.push('browser suite produced no report');
    }
    if (res.code !== 0 && !problems.length) problems.push('browser suite');
  }
} finally {
  await stopEmbedded?.();
}

if (problems.length) console.log(`\nproblems: ${problems.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
