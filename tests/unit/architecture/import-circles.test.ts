import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import madge from 'madge';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The production code's import graph (type-only imports included), resolved through tsconfig's @/ alias. */
async function importGraph() {
  const result = await madge(['src', 'app', 'instrumentation.ts'].map((p) => path.join(root, p)), {
    baseDir: root,
    fileExtensions: ['ts', 'tsx'],
    tsConfig: path.join(root, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  return result;
}

test('no import circle in src/ and app/, type-only imports included', async () => {
  const graph = await importGraph();
  const deps = graph.obj();
  // the graph is real: aliases resolve (a check that reads nothing would pass for the wrong reason)
  assert.ok(deps['src/start.ts']?.includes('src/workers/index.ts'), 'src/start.ts → src/workers/index.ts is seen');
  assert.ok(deps['src/server/candidates/pipeline/save-candidate.ts']?.includes('src/server/scoring/score-candidate.ts'), 'a type-only import is seen');
  assert.deepEqual(graph.circular(), [], 'import circles');
});

test('layers point one way: routes never reach the workers; analysis, ppl and scoring touch no database and no candidates', async () => {
  const deps = (await importGraph()).obj();
  const reach = (from: string) => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) for (const d of deps[stack.pop()!] ?? []) if (!seen.has(d)) seen.add(d), stack.push(d);
    return seen;
  };
  for (const route of Object.keys(deps).filter((f) => f.startsWith('app/') && f.endsWith('route.ts')))
    assert.ok(![...reach(route)].some((f) => f.startsWith('src/workers/')), `${route} reaches src/workers`);
  for (const file of Object.keys(deps).filter((f) => /^src\/server\/(analysis|ppl|scoring)\//.test(f)))
    for (const d of deps[file]) assert.ok(!/^src\/server\/(db|candidates|queue|videos|windows)\//.test(d), `${file} imports ${d}`);
});
