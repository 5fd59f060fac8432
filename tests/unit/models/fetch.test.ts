import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

process.env.LOG_LEVEL ??= 'warn';
const { downloadPlan, fetchModels, downloadFile, ChecksumMismatchError } = await import('@/src/models/fetch');
const { YOLOX_OFFICIAL_URL, YOLOX_SHA256 } = await import('@/src/models/registry');

const BODY = Buffer.from('fake onnx model bytes '.repeat(1000));
const SHA = createHash('sha256').update(BODY).digest('hex');
let server: http.Server;
let base = '';
const hits: string[] = [];
let tmp = '';

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'models-fetch-test-'));
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url?.startsWith('/missing')) {
      res.writeHead(404).end('nope');
      return;
    }
    // Hugging Face's resolve endpoint: a redirect carrying X-Linked-Etag (the LFS file's sha256), then the bytes.
    const hf = req.url?.match(/^\/hf\/(good|bad)\/(.*)$/);
    if (hf) {
      const sha = hf[1] === 'good' ? SHA : 'b'.repeat(64);
      res.writeHead(302, { location: `/cdn/${hf[2]}`, 'x-linked-etag': `"${sha}"`, etag: '"0123456789abcdef0123456789abcdef01234567"' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BODY.length }).end(BODY);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror`;
});

after(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function leftovers(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('.part-'));
}

test('plan: official URLs by default, MODELS_BASE_URL mirrors relative paths; known sha for YOLOX', () => {
  const official = downloadPlan({ whisperModel: 'onnx-community/whisper-small', whisperDtype: 'q8' });
  assert.equal(official[0].url, YOLOX_OFFICIAL_URL);
  assert.equal(official[0].sha256, YOLOX_SHA256);
  assert.equal(official.length, 8);
  assert.ok(official.some((i) => i.url === 'https://huggingface.co/onnx-community/whisper-small/resolve/main/onnx/encoder_model_quantized.onnx'));
  assert.ok(official.slice(1).every((i) => i.sha256 === undefined));
  const mirrored = downloadPlan({ baseUrl: 'http://m.local/models/', whisperModel: 'onnx-community/whisper-small', whisperDtype: 'fp16' });
  assert.equal(mirrored[0].url, 'http://m.local/models/yolox-nano/yolox_nano.onnx');
  assert.ok(mirrored.some((i) => i.url === 'http://m.local/models/onnx-community/whisper-small/onnx/decoder_model_merged_fp16.onnx'));
});

test('good checksum: downloads through a temp file, renames, then skips when present', async () => {
  const dir = path.join(tmp, 'good');
  const items = downloadPlan({ baseUrl: base, whisperModel: 'x', whisperDtype: 'q8', includeWhisper: false, expectedSha256: { 'yolox-nano/yolox_nano.onnx': SHA } });
  const [r] = await fetchModels(items, { modelsDir: dir });
  assert.equal(r.action, 'downloaded', r.error);
  assert.equal(r.sha256, SHA);
  assert.equal(r.bytes, BODY.length);
  assert.ok(hits.includes('/mirror/yolox-nano/yolox_nano.onnx'));
  assert.deepEqual(fs.readFileSync(path.join(dir, 'yolox-nano/yolox_nano.onnx')), BODY);
  assert.deepEqual(leftovers(dir), []);
  const n = hits.length;
  const [again] = await fetchModels(items, { modelsDir: dir });
  assert.equal(again.action, 'skipped');
  assert.equal(hits.length, n, 'no request for a present file');
  const [verified] = await fetchModels(items, { modelsDir: dir, verify: true });
  assert.equal(verified.action, 'verified');
});

test('bad checksum: refused with a clear message, nothing installed', async () => {
  const dir = path.join(tmp, 'bad');
  const wrong = 'a'.repeat(64);
  const items = downloadPlan({ baseUrl: base, whisperModel: 'x', whisperDtype: 'q8', includeWhisper: false, expectedSha256: { 'yolox-nano/yolox_nano.onnx': wrong } });
  const [r] = await fetchModels(items, { modelsDir: dir });
  assert.equal(r.action, 'failed');
  assert.match(r.error!, /sha256 mismatch for yolox-nano\/yolox_nano\.onnx/);
  assert.match(r.error!, new RegExp(`expected ${wrong}, got ${SHA}`));
  assert.match(r.error!, /Refusing/);
  assert.equal(fs.existsSync(path.join(dir, 'yolox-nano/yolox_nano.onnx')), false);
  assert.deepEqual(leftovers(dir), []);
  await assert.rejects(
    downloadFile(`${base}/x.onnx`, path.join(dir, 'x.onnx'), { expectedSha256: wrong }),
    (e) => e instanceof ChecksumMismatchError && e.actual === SHA,
  );
});

test('unknown sha (Whisper): recorded in the model folder manifest on download, checked by verify', async () => {
  const dir = path.join(tmp, 'whisper');
  const model = 'org/whisper-tiny';
  const items = downloadPlan({ baseUrl: base, whisperModel: model, whisperDtype: 'q8' }).slice(1);
  const results = await fetchModels(items, { modelsDir: dir });
  assert.deepEqual(results.map((r) => r.action), Array(7).fill('downloaded'));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, model, '.sha256.json'), 'utf8'));
  assert.equal(manifest['onnx/encoder_model_quantized.onnx'], SHA);
  assert.equal(manifest['tokenizer.json'], SHA);
  fs.writeFileSync(path.join(dir, model, 'tokenizer.json'), 'tampered');
  const verified = await fetchModels(items, { modelsDir: dir, verify: true });
  const tok = verified.find((r) => r.relPath.endsWith('tokenizer.json'))!;
  assert.equal(tok.action, 'failed');
  assert.match(tok.error!, /expected/);
  assert.equal(verified.filter((r) => r.action === 'verified').length, 6);
});

test('HTTP errors are reported per file', async () => {
  const dir = path.join(tmp, 'http');
  const [r] = await fetchModels([{ relPath: 'a/b.onnx', url: `${base.replace('/mirror', '')}/missing/b.onnx` }], { modelsDir: dir });
  assert.equal(r.action, 'failed');
  assert.match(r.error!, /HTTP 404/);
});

test('server-stated sha256 (X-Linked-Etag on the redirect) is checked: a match installs, a mismatch is discarded', async () => {
  const dir = path.join(tmp, 'hf');
  const root = base.replace('/mirror', '');
  const seen: string[] = [];
  const ok = await downloadFile(`${root}/hf/good/model.onnx`, path.join(dir, 'good.onnx'), { onRequest: (u) => seen.push(new URL(u).pathname) });
  assert.equal(ok.verifiedBy, 'server');
  assert.equal(ok.sha256, SHA);
  assert.deepEqual(seen, ['/hf/good/model.onnx', '/cdn/model.onnx'], 'the redirect is followed by hand so its headers are read');
  await assert.rejects(
    downloadFile(`${root}/hf/bad/model.onnx`, path.join(dir, 'bad.onnx')),
    (e) => e instanceof ChecksumMismatchError && e.source === 'server' && /stated by the server/.test(e.message),
  );
  assert.equal(fs.existsSync(path.join(dir, 'bad.onnx')), false);
  assert.deepEqual(leftovers(dir), []);
  const plain = await downloadFile(`${base}/plain.json`, path.join(dir, 'plain.json'));
  assert.equal(plain.verifiedBy, 'none', 'no sha256 from the server: trusted on first download');
});
