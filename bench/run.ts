/**
 * `npm run bench` → every benchmark, one after another in child processes (so none disturbs another), then
 * bench/RESULTS.md: the machine and its load, a summary of every figure against its target, and each benchmark's
 * own tables, all from this one run. Nothing is asserted; a benchmark that fails is reported as failed and the others
 * still run (exit code 1 at the end).
 *
 * --only=video,backlog runs some of them (names below); --out=FILE writes elsewhere (default bench/RESULTS.md).
 * The part of the old file between NOTES_START and NOTES_END (a person's reading of the figures: why a target is not
 * met) is carried into the new one under the summary, so a rerun keeps it beside the new numbers to be checked.
 * Database as in bench/lib/database.ts; SHARED_DIR / MODELS_DIR as for the tests.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIGURES_PREFIX, meets, type Figure } from './lib/report';

const BENCHES: { name: string; file: string; args: string[]; what: string }[] = [
  { name: 'frames', file: 'frame-decode.ts', args: [], what: 'frames of one window: one decode pass vs a process per frame' },
  { name: 'video', file: 'video-pipeline.ts', args: ['--loops=10', '--list-rows=100000'], what: '10-minute video (the fixture ×10), 360p, with the candidate list timed while it is analysed' },
  { name: 'video720', file: 'video-pipeline.ts', args: ['--loops=10', '--height=720'], what: '10-minute video, 720p' },
  { name: 'backlog', file: 'backlog.ts', args: ['--videos=10', '--list-rows=100000'], what: 'a backlog of 10 videos: 1 vs 2 worker processes, and the candidate list while a worker process analyses' },
  { name: 'feeds', file: 'feeds-poll.ts', args: ['--channels=1000'], what: '1,000 channels polled against a fake feed with 20 ms latency' },
  { name: 'candidates', file: 'candidates-list.ts', args: [], what: 'candidate list at 100,000 rows, idle' },
  { name: 'linkpage', file: 'link-page.ts', args: [], what: 'public link-in-bio page at 1,000 published products, over HTTP' },
];

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = arg('only')?.split(',');
const out = path.resolve(arg('out') ?? path.join(import.meta.dirname, 'RESULTS.md'));

type Outcome = { name: string; what: string; seconds: number; ok: boolean; markdown: string; figures: Figure[]; error?: string };

function runOne(b: (typeof BENCHES)[number]): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, b.file), ...b.args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => {
      const lines = stdout.split('\n');
      const figures = lines.filter((l) => l.startsWith(FIGURES_PREFIX)).flatMap((l) => (JSON.parse(l.slice(FIGURES_PREFIX.length)) as { figures: Figure[] }).figures);
      // the benchmark's own tables: from its first heading on, without the machine-readable lines
      const first = lines.findIndex((l) => l.startsWith('## '));
      const markdown = first < 0 ? '' : lines.slice(first).filter((l) => !l.startsWith(FIGURES_PREFIX)).join('\n').trim();
      const error = code === 0 ? undefined : stderr.trim().split('\n').slice(-5).join('\n') || `exit code ${code}`;
      resolve({ name: b.name, what: b.what, seconds: (performance.now() - started) / 1000, ok: code === 0, markdown, figures, error });
    });
  });
}

const NOTES_START = '<!-- notes:start (kept by npm run bench; written by hand) -->';
const NOTES_END = '<!-- notes:end -->';
const previous = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
const notes = previous.includes(NOTES_START) && previous.includes(NOTES_END) ? previous.slice(previous.indexOf(NOTES_START), previous.indexOf(NOTES_END) + NOTES_END.length) : `${NOTES_START}\n${NOTES_END}`;

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');
const loadBefore = load();
const startedAt = new Date();
const outcomes: Outcome[] = [];
for (const b of BENCHES.filter((x) => !only || only.includes(x.name))) {
  console.log(`\n=== bench ${b.name}: ${b.what}`);
  outcomes.push(await runOne(b));
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const summary = outcomes.flatMap((o) =>
  o.figures.map((f) => {
    const met = meets(f);
    const target = f.target ? `${f.target.op === '<=' ? '≤' : '≥'} ${fmt(f.target.value)} ${f.unit}` : '';
    return `| ${o.name} | ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.reference ?? ''} | ${target} | ${met === null ? '' : met ? 'met' : '**not met**'} |`;
  }),
);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const doc = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` (bench/run.ts) on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, CPU only.`,
  `Load average (1/5/15 min) before: ${loadBefore}; after: ${load()}. Each benchmark ran alone, one after another, in ${fmt(outcomes.reduce((a, o) => a + o.seconds, 0))} s in all.`,
  'Every figure below comes from this run and stands beside the reference it was measured against in the same run; nothing here is asserted by a test.',
  '',
  '## Summary',
  '',
  '| bench | figure | value | reference (same run) | target | |',
  '|---|---|---|---|---|---|',
  ...summary,
  ...outcomes.filter((o) => !o.ok).map((o) => `| ${o.name} | **failed** | | | | ${o.error?.replace(/\n/g, ' ').replace(/\|/g, '\\|').slice(0, 300)} |`),
  '',
  notes,
  '',
  ...outcomes.flatMap((o) => [`<!-- ${o.name}: ${o.what}, ${fmt(o.seconds)} s -->`, o.markdown || `## ${o.name}\n\n(no output)`, '']),
].join('\n');
fs.writeFileSync(out, doc.endsWith('\n') ? doc : `${doc}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1;
