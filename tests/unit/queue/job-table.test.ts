import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { withJobGraph } from '@/src/server/queue/job-graph';
import { jobNames, jobs, type JobName } from '@/src/server/queue/jobs';
import { sendNext, startJob } from '@/src/server/queue/send';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
type Def = { next: readonly string[]; cron?: true; console?: true };
const def = (n: string) => jobs[n as JobName] as unknown as Def;

/** Every production source file (the app, the domain, the workers): where jobs are sent. */
function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) out.push({ file: path.relative(root, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(root, 'src'));
  walk(path.join(root, 'app'));
  return out;
}

/** The sends the code makes: sendNext('from', 'to', …) and startJob('name', …). */
function sendsInCode() {
  const edges: { from: string; to: string; file: string }[] = [];
  const started: { name: string; file: string }[] = [];
  const stray: string[] = [];
  for (const { file, text } of sources()) {
    for (const m of text.matchAll(/sendNext\(\s*'([a-z.-]+)'\s*,\s*'([a-z.-]+)'/g)) edges.push({ from: m[1], to: m[2], file });
    for (const m of text.matchAll(/startJob\(\s*'([a-z.-]+)'/g)) started.push({ name: m[1], file });
    if (!file.startsWith('src/server/queue/') && /(?<![.\w])enqueue\(/.test(text)) stray.push(file);
  }
  return { edges, started, stray };
}

test('the table names real queues, and every queue but a schedule root has a producer in the code', () => {
  const { edges, started } = sendsInCode();
  for (const n of jobNames) for (const to of def(n).next) assert.ok((jobNames as string[]).includes(to), `${n}.next names an unknown queue ${to}`);
  for (const n of jobNames) {
    if (def(n).cron) continue;
    const produced = edges.some((e) => e.to === n) || started.some((s) => s.name === n);
    assert.ok(produced, `no code sends ${n}: nothing would ever run it (a producer is a sendNext(…, '${n}') or a startJob('${n}'))`);
  }
});

test('the code sends only what the table lists, and every listed edge is sent somewhere', () => {
  const { edges, started } = sendsInCode();
  for (const e of edges) assert.ok(def(e.from).next.includes(e.to), `${e.file}: a ${e.from} step sends ${e.to}, which ${e.from}.next does not list`);
  for (const s of started) assert.ok(def(s.name).console, `${s.file}: starts ${s.name} from the console/API, which the table does not mark console`);
  for (const n of jobNames)
    for (const to of def(n).next) assert.ok(edges.some((e) => e.from === n && e.to === to), `the table says ${n} sends ${to}, but no code does (sendNext('${n}', '${to}', …))`);
});

test('jobs are sent only through sendNext / startJob, which refuse what the table does not allow', async () => {
  assert.deepEqual(sendsInCode().stray, [], 'files calling enqueue() directly');
  await assert.rejects(() => (sendNext as (f: string, t: string, d: object) => Promise<unknown>)('video.ingest', 'candidate.score', { candidateId: '1' }), /may not send candidate\.score/);
  await assert.rejects(() => (startJob as (n: string, d: object) => Promise<unknown>)('notify.digest', { videoId: '1' }), /not started from the console/);
});

test('the job graph in docs/ARCHITECTURE.md is drawn from the current table', () => {
  const doc = fs.readFileSync(path.join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');
  assert.equal(withJobGraph(doc), doc, 'docs/ARCHITECTURE.md is stale: run npm run docs:job-graph');
});
