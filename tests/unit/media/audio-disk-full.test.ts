import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDir } from '../../fakes/http';
import { setEnv } from '../../helpers/env';
import { DomainError } from '@/src/server/errors';
import { extractSpeechOpusPieces, extractSpeechWav } from '@/src/server/media/audio';

/**
 * ffmpeg 5.1 exits 0 when it cannot write its trailer or close its output on a full disk ("Error writing trailer of …:
 * No space left on device"), leaving an empty file: the speech audio must then fail as the disk-full error (retryable,
 * no server path), leave nothing behind, and never be handed on as a piece.
 */
const VIDEO = path.join(sharedDir(), 'models', 'fixtures', 'vlog_roundlab_60s.mp4');
let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audio-disk-'));
});
after(() => {
  useFfmpeg(undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

function useFfmpeg(file: string | undefined) {
  delete (globalThis as { __influenceBinaries?: unknown }).__influenceBinaries; // binaries.ts caches the path found
  setEnv({ FFMPEG_PATH: file });
}

/** An ffmpeg that creates its output (the last argument) empty, says `stderr`, and exits `code`. */
function fakeFfmpeg(name: string, stderr: string, code: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\nfor last; do :; done\n: > "$last"\nprintf '%s\\n' "${stderr.replace(/"/g, '\\"')}" >&2\nexit ${code}\n`, { mode: 0o755 });
  return file;
}

const diskFull = (e: unknown) =>
  e instanceof DomainError && e.code === 'insufficient_storage' && /disk is full/.test(e.message) && !e.message.includes(dir);

test('ffmpeg saying "No space left on device" but exiting 0: the disk-full error, no piece and no temp file kept', async () => {
  const out = path.join(dir, 'speech-a');
  useFfmpeg(fakeFfmpeg('ffmpeg-trailer', `Error writing trailer of ${out}/speech-900s-000.ogg.part.ogg: No space left on device`, 0));
  await assert.rejects(extractSpeechOpusPieces(VIDEO, out, 60, 900), diskFull);
  assert.deepEqual(fs.readdirSync(out), []);
  await assert.rejects(extractSpeechWav(VIDEO, path.join(dir, 'wav-a', 'audio.wav')), diskFull);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'wav-a')), []);
});

test('an empty output with room on the disk is an error too (not a piece to send on), and not called a full disk', async () => {
  const out = path.join(dir, 'speech-b');
  useFfmpeg(fakeFfmpeg('ffmpeg-empty', '', 0));
  await assert.rejects(extractSpeechOpusPieces(VIDEO, out, 60, 900), (e: unknown) => e instanceof Error && /wrote nothing/.test(e.message) && !diskFull(e));
  assert.deepEqual(fs.readdirSync(out), []);
});

test('the real ffmpeg onto a full tmpfs: the disk-full error, nothing kept; with room again the piece is written', async (t) => {
  const mnt = path.join(dir, 'tmpfs');
  fs.mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { stdio: 'pipe' });
  } catch {
    return t.skip('no tmpfs mount here (needs root)');
  }
  try {
    useFfmpeg(undefined);
    const filler = path.join(mnt, 'filler');
    const fd = fs.openSync(filler, 'w');
    try {
      for (;;) fs.writeSync(fd, Buffer.alloc(1 << 16));
    } catch (err) {
      assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      fs.closeSync(fd);
    }
    const out = path.join(mnt, 'speech');
    await assert.rejects(extractSpeechOpusPieces(VIDEO, out, 60, 900), diskFull);
    assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
    fs.rmSync(filler);
    const pieces = await extractSpeechOpusPieces(VIDEO, out, 60, 900);
    assert.equal(pieces.length, 1);
    assert.ok(fs.statSync(pieces[0].path).size > 10_000, `piece of ${fs.statSync(pieces[0].path).size} bytes`);
    assert.deepEqual(fs.readdirSync(out), [path.basename(pieces[0].path)]);
  } finally {
    execFileSync('umount', ['-l', mnt], { stdio: 'pipe' });
  }
});
