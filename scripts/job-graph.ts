/**
 * `npm run docs:job-graph`: redraws the job graph in docs/ARCHITECTURE.md from the job table
 * (src/server/queue/jobs.ts). `-- --check` exits 1 when the document is stale instead of writing it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { withJobGraph } from '@/src/server/queue/job-graph';

const file = path.resolve(import.meta.dirname, '..', 'docs', 'ARCHITECTURE.md');
const doc = fs.readFileSync(file, 'utf8');
const next = withJobGraph(doc);
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error('docs/ARCHITECTURE.md: the job graph is stale; run npm run docs:job-graph');
    process.exitCode = 1;
  } else console.log('docs/ARCHITECTURE.md: job graph current');
} else {
  fs.writeFileSync(file, next);
  console.log(next === doc ? 'job graph already current' : 'job graph redrawn in docs/ARCHITECTURE.md');
}
