import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDir } from '../../fakes/http';
import { InvalidMediaError, probeMedia } from '@/src/server/media/probe';
import { mediaExtension } from '@/src/server/integrations/media-download/direct';
import { YTDLP_FORMAT, ytdlpArgs, ytdlpErrorReason } from '@/src/server/integrations/media-download/yt-dlp';
import { uploadHash } from '@/src/server/videos/upload';

const FIXTURES = path.join(sharedDir(), 'models', 'fixtures');
let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('ffprobe reads the 60 s fixture: duration, video and audio streams, 640×360', async () => {
  const p = await probeMedia(path.join(FIXTURES, 'vlog_roundlab_60s.mp4'));
  assert.ok(Math.abs(p.durationSeconds - 60) < 0.5, String(p.durationSeconds));
  assert.equal(p.hasVideo, true);
  assert.equal(p.hasAudio, true);
  assert.equal(p.height, 360);
  assert.equal(p.width, 640);
  assert.match(p.formatName, /mp4/);
});

test('a text file renamed .mp4, an image, an empty file and a truncated video are not media', async () => {
  const text = path.join(dir, 'notes.mp4');
  fs.writeFileSync(text, '그냥 텍스트입니다.\n'.repeat(40));
  await assert.rejects(probeMedia(text, '"notes.mp4"'), (e: unknown) => e instanceof InvalidMediaError && /"notes\.mp4"/.test(e.message) && e.field === 'file');

  await assert.rejects(probeMedia(path.join(FIXTURES, 'frame_roundlab_1280x720.jpg'), 'the photo'), (e: unknown) => e instanceof InvalidMediaError && /image/.test(e.message));

  const empty = path.join(dir, 'empty.mp4');
  fs.writeFileSync(empty, '');
  await assert.rejects(probeMedia(empty), InvalidMediaError);

  const truncated = path.join(dir, 'cut.mp4');
  fs.writeFileSync(truncated, fs.readFileSync(path.join(FIXTURES, 'vlog_roundlab_60s.mp4')).subarray(0, 2000));
  await assert.rejects(probeMedia(truncated), InvalidMediaError);

  // cut at 60 %: the header (index first) still says 60 s, but the data stops at about 36 s
  const cutLate = path.join(dir, 'cut-late.mp4');
  const full = fs.readFileSync(path.join(FIXTURES, 'vlog_roundlab_60s.mp4'));
  fs.writeFileSync(cutLate, full.subarray(0, Math.floor(full.length * 0.6)));
  await assert.rejects(probeMedia(cutLate, '"cut-late.mp4"'), (e: unknown) => e instanceof InvalidMediaError && /"cut-late\.mp4" is cut short/.test(e.message) && !e.message.includes(dir));
});

test('yt-dlp arguments: ≤720p merged to mp4, Korean manual + auto subs as vtt, output in the given folder, URL after --', () => {
  const args = ytdlpArgs('https://www.youtube.com/watch?v=aqz-KE-bpKQ', '/data/media/7/tmp');
  assert.equal(YTDLP_FORMAT, 'bv*[height<=720]+ba/b[height<=720]');
  assert.equal(args[args.indexOf('-f') + 1], YTDLP_FORMAT);
  assert.equal(args[args.indexOf('--merge-output-format') + 1], 'mp4');
  assert.equal(args[args.indexOf('--sub-langs') + 1], 'ko');
  assert.equal(args[args.indexOf('--sub-format') + 1], 'vtt');
  assert.ok(args.includes('--write-subs') && args.includes('--write-auto-subs') && args.includes('--no-playlist'));
  assert.equal(args[args.indexOf('-o') + 1], '/data/media/7/tmp/source.%(ext)s');
  assert.deepEqual(args.slice(-2), ['--', 'https://www.youtube.com/watch?v=aqz-KE-bpKQ']);
});

test('yt-dlp error reason: the last ERROR line without its prefix', () => {
  assert.equal(
    ytdlpErrorReason('[youtube] x: Downloading webpage\nWARNING: something\nERROR: [youtube] aqz-KE-bpKQ: Video unavailable\n'),
    '[youtube] aqz-KE-bpKQ: Video unavailable',
  );
  assert.equal(ytdlpErrorReason('Killed\n'), 'Killed');
  assert.equal(ytdlpErrorReason(''), 'yt-dlp failed without a message');
});

test('direct download extension from Content-Type, else the URL, else mp4', () => {
  assert.equal(mediaExtension('video/webm; codecs=vp9', 'https://cdn.example.com/a'), 'webm');
  assert.equal(mediaExtension('application/octet-stream', 'https://cdn.example.com/clip.MOV?sig=1'), 'mov');
  assert.equal(mediaExtension(null, 'https://cdn.example.com/watch.php'), 'mp4');
});

test('upload dedup key: the file together with its captions', () => {
  const file = 'a'.repeat(64);
  assert.equal(uploadHash(file, null), uploadHash(file, null));
  assert.notEqual(uploadHash(file, null), uploadHash(file, 'WEBVTT\n'));
  assert.notEqual(uploadHash(file, 'WEBVTT\n\n1'), uploadHash(file, 'WEBVTT\n\n2'));
  assert.match(uploadHash(file, null), /^[0-9a-f]{64}$/);
});
