import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runFfmpeg, withoutDirectories } from '@/src/server/media/run-ffmpeg';

test('directories are cut from paths in ffmpeg messages, file names kept', () => {
  assert.equal(withoutDirectories('/srv/data/media/12/video.mp4: Invalid data found when processing input'), 'video.mp4: Invalid data found when processing input');
  assert.equal(withoutDirectories('Error opening output /tmp/x/y/frame-001.jpg | done'), 'Error opening output frame-001.jpg | done');
  assert.equal(withoutDirectories('Invalid argument'), 'Invalid argument');
});

test("a broken file's ffmpeg error names the file, not the server's folders", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffmpeg-err-'));
  const bad = path.join(dir, 'broken.mp4');
  fs.writeFileSync(bad, 'this is not a video');
  try {
    await assert.rejects(runFfmpeg(['-i', bad, '-f', 'null', '-']), (err: Error) => {
      assert.match(err.message, /broken\.mp4/);
      assert.ok(!err.message.includes(dir), err.message);
      return true;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
