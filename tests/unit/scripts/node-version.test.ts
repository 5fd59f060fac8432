import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { minimumNode, nodeVersionWarning } from '@/scripts/node-version';

const root = path.resolve(import.meta.dirname, '../../..');

test('package.json asks for the current LTS (Node 24 or newer)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.deepEqual(minimumNode(pkg.engines.node), [24, 0, 0]);
});

test('npm start on an older Node gets one warning line; a current one none', () => {
  const warning = nodeVersionWarning('v20.20.2', '>=24');
  assert.match(warning ?? '', /Node\.js v20\.20\.2 is older than the supported >=24/);
  assert.doesNotMatch(warning ?? '', /\n/, 'one line');
  assert.ok(nodeVersionWarning('v22.12.0', '>=24'));
  assert.equal(nodeVersionWarning('v24.0.0', '>=24'), undefined);
  assert.equal(nodeVersionWarning('v24.22.3', '>=24'), undefined);
  assert.equal(nodeVersionWarning('v26.1.0', '>=24'), undefined);
  assert.ok(nodeVersionWarning('v24.0.9', '>=24.1.0'));
  assert.equal(nodeVersionWarning('v20.0.0', '^20 || ^22'), undefined, 'a range it cannot read: no guess');
});

test('the check runs first in npm start and prints the warning, then lets the start go on', () => {
  const start = fs.readFileSync(path.join(root, 'scripts', 'start.ts'), 'utf8');
  const firstImport = /^import .*$/m.exec(start)?.[0];
  assert.equal(firstImport?.startsWith("import './warn-old-node'"), true, firstImport);
  // The module itself on the Node running this test: one stderr line when it is older than 24, else nothing; exit 0.
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'warn-old-node.ts')], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.deepEqual(lines, Number(process.versions.node.split('.')[0]) < 24 ? [nodeVersionWarning(process.version, '>=24')] : []);
});
