import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DomainError } from '@/src/server/errors';
import { readMultipart, type MultipartSpec } from '@/src/server/videos/multipart';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multipart-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The body undici would send for this form, re-cut into chunks of `size` bytes (boundaries split across chunks). */
async function encode(form: FormData, size: number) {
  const res = new Response(form);
  const bytes = Buffer.from(await res.arrayBuffer());
  const contentType = res.headers.get('content-type');
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + size)));
      offset += size;
    },
  });
  return { body, contentType };
}

const spec = (maxBytes = 1 << 20): MultipartSpec => ({
  files: {
    file: { path: path.join(dir, 'file.part'), maxBytes, tooLarge: 'file too large' },
    captions: { path: path.join(dir, 'captions.part'), maxBytes: 1000, tooLarge: 'captions too large' },
  },
  texts: { title: { maxBytes: 100, tooLarge: 'title too long' } },
});

test('files stream to disk and texts are read, whatever the chunking', async () => {
  const media = Buffer.alloc(50_000);
  for (let i = 0; i < media.length; i++) media[i] = (i * 31) % 256;
  // Include the bytes of a delimiter-like sequence inside the file content.
  Buffer.from('\r\n--not-the-boundary\r\n').copy(media, 1000);
  for (const size of [1, 7, 64, 4096, 1 << 20]) {
    const form = new FormData();
    form.append('title', '아침 루틴 "브이로그"');
    form.append('file', new Blob([media], { type: 'video/mp4' }), '영상 파일.mp4');
    form.append('captions', new Blob(['WEBVTT\n\n00:00.000 --> 00:01.000\n안녕\n']), 'ko.vtt');
    form.append('extra', 'ignored');
    const { body, contentType } = await encode(form, size);
    const out = await readMultipart(body, contentType, spec());
    assert.equal(out.texts.title, '아침 루틴 "브이로그"');
    assert.equal(out.files.file.name, '영상 파일.mp4');
    assert.equal(out.files.file.size, media.length);
    assert.ok(fs.readFileSync(out.files.file.path).equals(media), `chunk size ${size}`);
    assert.equal(fs.readFileSync(out.files.captions.path, 'utf8'), 'WEBVTT\n\n00:00.000 --> 00:01.000\n안녕\n');
    assert.equal(out.texts.extra, undefined);
  }
});

test('an oversized file is refused while streaming and nothing is left on disk', async () => {
  const form = new FormData();
  form.append('file', new Blob([Buffer.alloc(5000)]), 'big.mp4');
  const { body, contentType } = await encode(form, 512);
  await assert.rejects(readMultipart(body, contentType, spec(4000)), (e: unknown) => e instanceof DomainError && e.code === 'payload_too_large');
  assert.equal(fs.existsSync(path.join(dir, 'file.part')), false);
});

test('a body cut short, a missing boundary and a text where a file belongs are bad requests', async () => {
  const form = new FormData();
  form.append('file', new Blob([Buffer.alloc(3000)]), 'v.mp4');
  const res = new Response(form);
  const bytes = Buffer.from(await res.arrayBuffer());
  const cut = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array(bytes.subarray(0, 2000)));
      c.close();
    },
  });
  await assert.rejects(readMultipart(cut, res.headers.get('content-type'), spec()), /ended early/);
  assert.equal(fs.existsSync(path.join(dir, 'file.part')), false);
  await assert.rejects(readMultipart(new Response('x').body, 'multipart/form-data', spec()), (e: unknown) => e instanceof DomainError && e.field === 'file');
  const textForFile = new FormData();
  textForFile.append('file', 'just text');
  const enc = await encode(textForFile, 100);
  await assert.rejects(readMultipart(enc.body, enc.contentType, spec()), (e: unknown) => e instanceof DomainError && e.field === 'file');
});

test('a body whose stream fails (the client went away mid-upload) is a bad request, not an unhandled error', async () => {
  const form = new FormData();
  form.append('file', new Blob([Buffer.alloc(3000)]), 'v.mp4');
  const res = new Response(form);
  const bytes = Buffer.from(await res.arrayBuffer());
  let sent = false;
  const aborted = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent) return c.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })); // what Node's server reports
      sent = true;
      c.enqueue(new Uint8Array(bytes.subarray(0, 1500)));
    },
  });
  await assert.rejects(readMultipart(aborted, res.headers.get('content-type'), spec()), (e: unknown) => e instanceof DomainError && e.code === 'bad_request' && /ended early/.test(e.message));
  assert.equal(fs.existsSync(path.join(dir, 'file.part')), false);
});

test('refused mid-body, the rest of the body is read (and dropped) before the error, so the client gets the answer', async () => {
  const form = new FormData();
  form.append('file', 'just text'); // refused at the first part
  form.append('title', 'x'.repeat(50));
  const { body, contentType } = await encode(form, 16);
  const reader = body.getReader();
  let pulled = 0;
  let ended = false;
  const counted = new ReadableStream<Uint8Array>({
    async pull(c) {
      const { done, value } = await reader.read();
      if (done) return (ended = true), c.close();
      pulled += value.length;
      c.enqueue(value);
    },
  });
  await assert.rejects(readMultipart(counted, contentType, spec()), (e: unknown) => e instanceof DomainError && e.field === 'file');
  assert.ok(ended, `the body was left unread after ${pulled} bytes`);
  // over the cap is not read on: reading it is what the refusal is about
  const big = new FormData();
  big.append('file', new Blob([Buffer.alloc(50_000)]), 'big.mp4');
  const enc = await encode(big, 512);
  const bigReader = enc.body.getReader();
  let bigPulled = 0;
  const bigCounted = new ReadableStream<Uint8Array>({
    async pull(c) {
      const { done, value } = await bigReader.read();
      if (done) return c.close();
      bigPulled += value.length;
      c.enqueue(value);
    },
  });
  await assert.rejects(readMultipart(bigCounted, enc.contentType, spec(4000)), (e: unknown) => e instanceof DomainError && e.code === 'payload_too_large');
  assert.ok(bigPulled < 10_000, `${bigPulled} bytes read of a body over the cap`);
});
