import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';

/** Media retention removes old frames/audio of finished videos by policy, never what an open candidate shows. */
let db: { url: string; drop(): Promise<void> };
let dataDir: string;

before(async () => {
  db = await createTestDatabase('retention');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ii-retention-'));
  Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  (await import('@/src/server/config')).resetConfig();
  await (await import('@/src/server/db')).startDatabase();
});
after(async () => {
  (await import('@/src/server/clock')).setClock(undefined);
  await (await import('@/src/server/db')).stopDatabase();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function touch(rel: string, ageDays: number) {
  const abs = path.join(dataDir, 'media', rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, 'x'.repeat(100));
  const t = new Date(Date.now() - ageDays * 86400_000);
  fs.utimesSync(abs, t, t);
  return abs;
}

test('old frames and audio go; an open candidate keeps its crop and frames; running videos are untouched; twice is the same', async () => {
  const { getDb } = await import('@/src/server/db');
  const { cleanMedia } = await import('@/src/server/ops/retention');
  const d = getDb();
  const ids = (
    await d.execute<{ id: number }>(sql`INSERT INTO videos (source_kind, youtube_id, stage) VALUES
      ('youtube', 'doneaaaaaaa', 'done'), ('youtube', 'runningaaaa', 'visual') RETURNING id`)
  ).rows.map((r) => Number(r.id));
  const [done, running] = ids;
  const w = (await d.execute<{ id: number }>(sql`INSERT INTO windows (video_id, ordinal, start, "end", reason, confidence, method) VALUES (${done}, 1, 10, 20, 'x', 0.9, 'rule') RETURNING id`)).rows[0];
  const windowId = Number(w.id);
  const open = `${done}/crops/w${windowId}-12000.jpg`;
  const openFrame = `${done}/frames/w${windowId}-12000.jpg`;
  const rejectedCrop = `${done}/crops/w${windowId}-15000.jpg`;
  await d.execute(sql`INSERT INTO candidates (video_id, window_id, product_key, clip_start_time, clip_end_time, current_status, evidence)
    VALUES (${done}, ${windowId}, 'open', 10, 20, 'needs_review', ${JSON.stringify({ cropPath: open, framePaths: [openFrame], transcriptSpan: [], frameTimestamps: [], ocrLines: [], detections: [], otherWindows: [] })}::jsonb),
           (${done}, NULL, 'gone', 10, 20, 'rejected', ${JSON.stringify({ cropPath: rejectedCrop, framePaths: [], transcriptSpan: [], frameTimestamps: [], ocrLines: [], detections: [], otherWindows: [] })}::jsonb)`);
  await d.execute(sql`INSERT INTO visual_findings (window_id, video_id, t, frame_path) VALUES (${windowId}, ${done}, 13, ${`${done}/frames/w${windowId}-13000.jpg`})`);

  const files = {
    openCrop: touch(open, 90),
    openFrame: touch(openFrame, 90),
    rejectedCrop: touch(rejectedCrop, 90),
    oldAudio: touch(`${done}/audio.wav`, 10),
    oldSource: touch(`${done}/source.mp4`, 10),
    newFrame: touch(`${done}/frames/w99-1000.jpg`, 1),
    recentAudio: touch(`${done}/captions.vtt`, 90),
    runningFrame: touch(`${running}/frames/w1-1000.jpg`, 90),
    runningAudio: touch(`${running}/audio.wav`, 90),
  };
  // Half-written files a crash left: gone after a day, wherever they are; a fresh one may still be being written.
  const stale = {
    partialCrop: touch(`${done}/crops/w${windowId}-16000.jpg.4242.part`, 2),
    speechPiece: touch(`${done}/speech/speech-900s-000.ogg`, 10),
  };
  const uploads = path.join(dataDir, 'tmp', 'uploads');
  fs.mkdirSync(uploads, { recursive: true });
  const oldUpload = path.join(uploads, 'abandoned.part');
  const liveUpload = path.join(uploads, 'receiving.part');
  fs.writeFileSync(oldUpload, 'x'.repeat(100));
  fs.writeFileSync(liveUpload, 'x'.repeat(100));
  fs.utimesSync(oldUpload, new Date(Date.now() - 2 * 86400_000), new Date(Date.now() - 2 * 86400_000));
  // Frames of the open candidate's window that the candidate does not show directly are kept too (same window).
  const windowFrame = touch(`${done}/frames/w${windowId}-13000.jpg`, 90);

  const r1 = await cleanMedia();
  assert.equal(fs.existsSync(files.openCrop), true, 'open candidate crop kept');
  assert.equal(fs.existsSync(files.openFrame), true, 'open candidate frame kept');
  assert.equal(fs.existsSync(windowFrame), true, "a finding of the open candidate's window kept");
  assert.equal(fs.existsSync(files.rejectedCrop), false, 'a rejected candidate does not protect its crop');
  assert.equal(fs.existsSync(files.oldAudio), false, 'audio older than 7 days removed');
  assert.equal(fs.existsSync(files.oldSource), false, 'source media older than 7 days removed');
  assert.equal(fs.existsSync(files.newFrame), true, 'a 1-day-old frame stays (30 days)');
  assert.equal(fs.existsSync(files.recentAudio), true, 'captions are not media to clean');
  assert.equal(fs.existsSync(files.runningFrame), true, 'a video being analysed is untouched');
  assert.equal(fs.existsSync(files.runningAudio), true);
  assert.equal(fs.existsSync(stale.partialCrop), false, 'a 2-day-old partial write removed');
  assert.equal(fs.existsSync(stale.speechPiece), false, "Gemini's audio pieces count as audio");
  assert.equal(fs.existsSync(oldUpload), false, 'an abandoned upload removed');
  assert.equal(fs.existsSync(liveUpload), true, 'an upload in progress kept');
  assert.equal(r1.removedFiles, 6);
  assert.equal(r1.keptForCandidates, 3);

  const r2 = await cleanMedia();
  assert.equal(r2.removedFiles, 0, 'second run removes nothing more');

  // A shorter policy from settings applies to the 1-day-old frame when the clock moves on.
  const { updateSetting } = await import('@/src/server/settings');
  await updateSetting('retention', { frameDays: 1 }, { userId: null, actor: 'test' });
  const { setClock } = await import('@/src/server/clock');
  setClock(new Date(Date.now() + 2 * 86400_000));
  const r3 = await cleanMedia();
  assert.equal(fs.existsSync(files.newFrame), false);
  assert.equal(fs.existsSync(files.openCrop), true);
  assert.equal(fs.existsSync(liveUpload), false, 'two days on, the upload that was in progress is abandoned too');
  assert.equal(r3.removedFiles, 2);
});
