import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@/src/server/errors';
import {
  longFormPlaylistId,
  parseChannelInput,
  uploadsPlaylistId,
} from '@/src/server/channels/channel-input';

const ID = 'UCkFoodVlogKR01234567890';

function assertRefused(input: string, messagePart: RegExp) {
  assert.throws(
    () => parseChannelInput(input),
    (error: unknown) => {
      assert.ok(error instanceof DomainError, `expected DomainError for ${JSON.stringify(input)}`);
      assert.equal(error.code, 'bad_request');
      assert.equal(error.field, 'input');
      assert.match(error.message, messagePart);
      return true;
    },
  );
}

test('accepts a bare UC channel id (with surrounding whitespace)', () => {
  assert.deepEqual(parseChannelInput(ID), { kind: 'id', channelId: ID });
  assert.deepEqual(parseChannelInput(`  ${ID}\n`), { kind: 'id', channelId: ID });
  assert.deepEqual(parseChannelInput('UC_x5XG1OV2P6uZZ5FSM9Ttw'), { kind: 'id', channelId: 'UC_x5XG1OV2P6uZZ5FSM9Ttw' });
});

test('accepts @handles, Korean ones included', () => {
  assert.deepEqual(parseChannelInput('@dlwlrma'), { kind: 'handle', handle: '@dlwlrma' });
  assert.deepEqual(parseChannelInput('@피식대학'), { kind: 'handle', handle: '@피식대학' });
  assert.deepEqual(parseChannelInput('@vogue.korea_official-1'), { kind: 'handle', handle: '@vogue.korea_official-1' });
});

test('accepts channel URLs in their common shapes', () => {
  const byId = { kind: 'id', channelId: ID };
  assert.deepEqual(parseChannelInput(`https://www.youtube.com/channel/${ID}`), byId);
  assert.deepEqual(parseChannelInput(`https://youtube.com/channel/${ID}/videos`), byId);
  assert.deepEqual(parseChannelInput(`http://m.youtube.com/channel/${ID}/featured?view=0#x`), byId);
  assert.deepEqual(parseChannelInput(`www.youtube.com/channel/${ID}`), byId);
  assert.deepEqual(parseChannelInput(`youtube.com/channel/${ID}/`), byId);

  const byHandle = { kind: 'handle', handle: '@dlwlrma' };
  assert.deepEqual(parseChannelInput('https://www.youtube.com/@dlwlrma'), byHandle);
  assert.deepEqual(parseChannelInput('https://www.youtube.com/@dlwlrma/videos'), byHandle);
  assert.deepEqual(parseChannelInput('https://m.youtube.com/@dlwlrma/featured'), byHandle);
  assert.deepEqual(parseChannelInput('HTTPS://WWW.YOUTUBE.COM/@dlwlrma'), byHandle);
  assert.deepEqual(parseChannelInput('youtube.com/@dlwlrma?si=abc'), byHandle);
});

test('decodes percent-encoded Korean handles in URLs', () => {
  const encoded = `https://www.youtube.com/@${encodeURIComponent('피식대학')}/videos`;
  assert.deepEqual(parseChannelInput(encoded), { kind: 'handle', handle: '@피식대학' });
  assert.deepEqual(parseChannelInput('https://www.youtube.com/@피식대학'), { kind: 'handle', handle: '@피식대학' });
});

test('refuses legacy /c/ and /user/ URLs and says what to give instead', () => {
  assertRefused('https://www.youtube.com/c/VogueKorea', /legacy \/c\/.*@handle.*UC/);
  assertRefused('https://www.youtube.com/user/vogue', /legacy \/user\/.*@handle.*UC/);
});

test('refuses ids of the wrong length or alphabet', () => {
  assertRefused('UCkFoodVlogKR0123456789', /not a channel id/);
  assertRefused('UCkFoodVlogKR012345678901', /not a channel id/);
  assertRefused('UCkFoodVlogKR0123456789!', /not a channel id/);
  assertRefused(`https://www.youtube.com/channel/UCshort`, /not a channel id/);
  assertRefused('https://www.youtube.com/channel/', /not a channel id/);
});

test('refuses other hosts, schemes, video URLs, bare names and empty input', () => {
  assertRefused(`https://evil.example/channel/${ID}`, /not youtube\.com/);
  assertRefused(`https://youtube.com.evil.example/@x`, /not youtube\.com/);
  assertRefused(`ftp://www.youtube.com/channel/${ID}`, /http or https/);
  assertRefused('https://www.youtube.com/watch?v=hP3zX7qW8kA', /not a channel/);
  assertRefused('https://www.youtube.com/', /home page/);
  assertRefused('https://www.youtube.com/results?search_query=iu', /not a channel URL/);
  assertRefused('dlwlrma', /add the "@"/);
  assertRefused('   ', /enter a channel/);
  assertRefused('@a', /not a valid YouTube handle/);
  assertRefused('@has space', /not a valid YouTube handle/);
  assertRefused('https://www.youtube.com/@bad%E0%A4%A', /percent-encoding/);
});

test('derives the uploads and long-form playlist ids', () => {
  assert.equal(uploadsPlaylistId(ID), 'UUkFoodVlogKR01234567890');
  assert.equal(longFormPlaylistId(ID), 'UULFkFoodVlogKR01234567890');
  assert.throws(() => longFormPlaylistId('UUkFoodVlogKR01234567890'), DomainError);
  assert.throws(() => uploadsPlaylistId('nope'), DomainError);
});
