import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startSlackFake, type SlackFake } from '../../fakes/slack/server';

let fake: SlackFake;
before(async () => {
  fake = await startSlackFake();
});
after(async () => {
  await fake.close();
});

const post = (body: string, url = fake.webhookUrl) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

test('success returns text "ok" and records the JSON message', async () => {
  const msg = { text: '새 영상 3건에서 상품 7개를 찾았습니다', blocks: [{ type: 'divider' }] };
  const r = await post(JSON.stringify(msg));
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'ok');
  assert.deepEqual(fake.messages.at(-1), msg);
  assert.equal(fake.requests.at(-1)!.path, new URL(fake.webhookUrl).pathname);
});

test('429 carries Retry-After; 404/410/400 bodies; one-shot then back to ok', async () => {
  fake.rateLimitNext(7);
  const r = await post(JSON.stringify({ text: 'a' }));
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), '7');
  assert.equal(await r.text(), 'rate_limited');

  fake.noServiceNext();
  fake.archivedNext();
  fake.invalidPayloadNext();
  const seq: [number, string][] = [];
  for (let i = 0; i < 4; i++) {
    const x = await post(JSON.stringify({ text: 'b' }));
    seq.push([x.status, await x.text()]);
  }
  assert.deepEqual(seq, [
    [404, 'no_service'],
    [410, 'channel_is_archived'],
    [400, 'invalid_payload'],
    [200, 'ok'],
  ]);
});

test('built-in validation: non-JSON → invalid_payload, empty message → no_text, unknown path → no_service', async () => {
  const a = await post('not json');
  assert.deepEqual([a.status, await a.text()], [400, 'invalid_payload']);
  const b = await post('{}');
  assert.deepEqual([b.status, await b.text()], [400, 'no_text']);
  const c = await post('{"text":"x"}', fake.url + '/hooks/other');
  assert.deepEqual([c.status, await c.text()], [404, 'no_service']);
});
