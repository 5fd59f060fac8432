import assert from 'node:assert/strict';
import os from 'node:os';
import { after, test } from 'node:test';
import { ConfigError, loadConfig } from '@/src/server/config';
import { jobNames, jobs } from '@/src/server/queue/jobs';
import { workOptions } from '@/src/workers';
import { setEnv } from '../../helpers/env';

/** How workers take jobs (src/workers/index.ts from the policies in src/server/queue/jobs.ts); speeds are in bench/feeds-poll.ts. */
after(() => setEnv({ FEED_POLL_CONCURRENCY: undefined, VISUAL_CONCURRENCY: undefined }));

test('every queue polls within pg-boss 12 limits, one job per fetch, and NOTIFY never slows a backlog', () => {
  for (const name of jobNames) {
    const o = workOptions(name);
    assert.equal(o.batchSize, 1, `${name}: each job is fetched (claimed, retried, expired) on its own`);
    assert.ok(o.pollingIntervalSeconds >= 0.5, `${name}: pg-boss refuses polling intervals under 0.5 s`);
    assert.equal(o.notifyPollingIntervalSeconds, o.pollingIntervalSeconds, `${name}: with NOTIFY active pg-boss would otherwise wait 30 s after each job`);
    assert.ok(Number.isInteger(o.localConcurrency) && o.localConcurrency >= 1, `${name}: at least one worker`);
  }
});

test('pipeline steps are woken by NOTIFY and polled at the minimum; queues only a cron starts poll slowly', () => {
  for (const name of jobNames) {
    const def = jobs[name] as { cron?: true; console?: true; policy: { notify: boolean; pollSeconds: number } };
    assert.equal(def.policy.notify, true, `${name}: a sent job wakes its workers`);
    if (def.cron && !def.console) assert.ok(def.policy.pollSeconds >= 5, `${name}: cron-only, no need to poll often`);
    else assert.equal(def.policy.pollSeconds, 0.5, `${name}: a hand-off between steps waits at most one poll`);
  }
});

test('FEED_POLL_CONCURRENCY sets how many channel polls one process runs at once (1–64, default 16)', () => {
  setEnv({ FEED_POLL_CONCURRENCY: undefined });
  assert.equal(workOptions('feeds.poll-channel').localConcurrency, 16);
  setEnv({ FEED_POLL_CONCURRENCY: '40' });
  assert.equal(workOptions('feeds.poll-channel').localConcurrency, 40);
  assert.equal(workOptions('channels.backfill').localConcurrency, jobs['channels.backfill'].policy.concurrency, 'other queues keep their policy');
  for (const bad of ['0', '65', 'many']) assert.throws(() => loadConfig({ FEED_POLL_CONCURRENCY: bad }), (e: unknown) => e instanceof ConfigError && /FEED_POLL_CONCURRENCY/.test(e.message));
});

test('VISUAL_CONCURRENCY sets how many windows one process analyses at once (1–32, default the core count)', () => {
  setEnv({ VISUAL_CONCURRENCY: undefined });
  assert.equal(workOptions('window.visual').localConcurrency, os.availableParallelism());
  setEnv({ VISUAL_CONCURRENCY: '1' });
  assert.equal(workOptions('window.visual').localConcurrency, 1);
  assert.equal(workOptions('video.media').localConcurrency, jobs['video.media'].policy.concurrency, 'other heavy queues keep their policy');
  for (const bad of ['0', '33', 'all']) assert.throws(() => loadConfig({ VISUAL_CONCURRENCY: bad }), (e: unknown) => e instanceof ConfigError && /VISUAL_CONCURRENCY/.test(e.message));
});
