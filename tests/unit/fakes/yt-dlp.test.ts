import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedDir } from '../../fakes/http';
import { YTDLP_FAKE_PATH } from '../../fakes/index';

const MEDIA = path.join(sharedDir(), 'models/fixtures/vlog_roundlab_60s.mp4');
let dir: string;
let vtt: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-ytdlp-'));
  vtt = path.join(dir, 'captions.vtt');
  fs.writeFileSync(vtt, 'WEBVTT\n\n00:00:00.160 --> 00:00:04.080\n안녕하세요 여러분\n');
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(YTDLP_FAKE_PATH, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const appArgs = (out: string, url: string) => ['--no-playlist', '-f', 'bv*[height<=720]+ba/b[height<=720]', '--merge-output-format', 'mp4', '--write-auto-subs', '--write-subs', '--sub-langs', 'ko', '--sub-format', 'vtt', '-o', `${out}/%(id)s.%(ext)s`, '--print-json', url];

test('is an executable file', () => {
  fs.accessSync(YTDLP_FAKE_PATH, fs.constants.X_OK);
});

test('downloads media + ko captions and prints one JSON line', async () => {
  const out = path.join(dir, 'a');
  const info = JSON.stringify({ title: '10분 완성 김치찌개', duration: 754, upload_date: '20261125', channel_id: 'UCkFoodVlogKR01234567890', description: '스타우브 꼬꼬떼' });
  const r = await run(appArgs(out, 'https://www.youtube.com/watch?v=hP3zX7qW8kA&t=10s'), { FAKE_YTDLP_MEDIA: MEDIA, FAKE_YTDLP_CAPTIONS: vtt, FAKE_YTDLP_INFO: info });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const j = JSON.parse(lines[0]);
  assert.equal(j.id, 'hP3zX7qW8kA');
  assert.equal(j.title, '10분 완성 김치찌개');
  assert.equal(j.duration, 754);
  assert.equal(j.upload_date, '20261125');
  assert.equal(j.channel_id, 'UCkFoodVlogKR01234567890');
  assert.equal(j.description, '스타우브 꼬꼬떼');
  const mp4 = path.join(out, 'hP3zX7qW8kA.mp4');
  assert.deepEqual(fs.readFileSync(mp4), fs.readFileSync(MEDIA));
  assert.equal(fs.readFileSync(path.join(out, 'hP3zX7qW8kA.ko.vtt'), 'utf8'), fs.readFileSync(vtt, 'utf8'));
  assert.equal(j.filename, mp4);
});

test('shorts and youtu.be ids, flags in any order, unknown flags ignored, -j only simulates', async () => {
  const out = path.join(dir, 'b');
  const r = await run(['--print-json', '-o', `${out}/%(id)s.%(ext)s`, '--some-new-flag', 'value', 'https://www.youtube.com/shorts/sH2tY5bV6pQ', '--no-playlist'], { FAKE_YTDLP_MEDIA: MEDIA });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).id, 'sH2tY5bV6pQ');
  assert.ok(fs.existsSync(path.join(out, 'sH2tY5bV6pQ.mp4')));
  assert.ok(!fs.existsSync(path.join(out, 'sH2tY5bV6pQ.ko.vtt')), 'no subs without --write-subs');

  const s = await run(['-j', '-o', `${out}/%(id)s.%(ext)s`, 'https://youtu.be/lIv3Up_c0mG?si=abc'], { FAKE_YTDLP_MEDIA: MEDIA });
  assert.equal(s.code, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout).id, 'lIv3Up_c0mG');
  assert.ok(!fs.existsSync(path.join(out, 'lIv3Up_c0mG.mp4')), '-j does not download');
});

test('FAKE_YTDLP_FAIL prints the yt-dlp error and exits 1', async () => {
  const out = path.join(dir, 'c');
  const r = await run(appArgs(out, 'https://www.youtube.com/watch?v=Qm8rT2wE5yU'), { FAKE_YTDLP_MEDIA: MEDIA, FAKE_YTDLP_FAIL: '1' });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), 'ERROR: [youtube] Qm8rT2wE5yU: Video unavailable');
  assert.equal(r.stdout, '');
  assert.ok(!fs.existsSync(out));
});
