/**
 * What an operator may type to register a channel: a `UC…` channel id, an `@handle`, or a youtube.com URL that
 * carries one of them. The result is only a lookup key — the channel is still confirmed with channels.list (by id or
 * forHandle) before it is stored.
 *
 * Legacy `/c/<name>` and `/user/<name>` URLs are refused: their names are not handles and the Data API cannot resolve
 * `/c/` names at all, so the operator is asked for the @handle or UC id shown on the channel page instead.
 */
import { DomainError } from '@/src/server/errors';

export type ChannelInput = { kind: 'id'; channelId: string } | { kind: 'handle'; handle: string };

const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
/** YouTube handles: 3–30 characters; letters of any script, digits, underscore, hyphen, period. */
const HANDLE = /^[\p{L}\p{M}\p{Nd}_.-]{3,30}$/u;
const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com']);

const bad = (message: string) => new DomainError('bad_request', message, 'input');

export function isChannelId(value: string): boolean {
  return CHANNEL_ID.test(value);
}

function parseHandle(raw: string): ChannelInput {
  const handle = raw.normalize('NFC');
  if (!HANDLE.test(handle)) {
    throw bad(
      `"@${handle}" is not a valid YouTube handle: a handle has 3–30 letters, digits, "_", "-" or "."`,
    );
  }
  return { kind: 'handle', handle: `@${handle}` };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw bad(`the channel URL contains broken percent-encoding ("${segment}")`);
  }
}

function parseChannelUrl(text: string): ChannelInput {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw bad(`"${text}" is not a URL, an @handle or a UC… channel id`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw bad(`channel URLs must use http or https, got "${url.protocol}"`);
  }
  if (!YOUTUBE_HOSTS.has(url.hostname.toLowerCase())) {
    throw bad(
      `"${url.hostname}" is not youtube.com: give a youtube.com channel URL, an @handle or a UC… channel id`,
    );
  }

  const segments = url.pathname.split('/').filter(Boolean).map(decodeSegment);
  const [first, second] = segments;
  if (first === undefined) {
    throw bad('the URL points to the YouTube home page, not to a channel');
  }
  if (first.startsWith('@')) {
    return parseHandle(first.slice(1));
  }
  if (first === 'channel') {
    if (second !== undefined && CHANNEL_ID.test(second)) return { kind: 'id', channelId: second };
    throw bad(
      `"${second ?? ''}" in the /channel/ URL is not a channel id (UC followed by 22 letters, digits, "_" or "-")`,
    );
  }
  if (first === 'c' || first === 'user') {
    throw bad(
      `legacy /${first}/ channel URLs cannot be resolved reliably: open the channel on YouTube and give its @handle ` +
        `or its UC… channel id instead`,
    );
  }
  if (first === 'watch' || first === 'shorts' || first === 'live' || first === 'playlist') {
    throw bad('this is a video or playlist URL, not a channel: give the channel URL, @handle or UC… id');
  }
  throw bad(`"${url.pathname}" is not a channel URL: use youtube.com/@handle or youtube.com/channel/UC…`);
}

/** Turns operator input into a channel id or a handle; throws DomainError(bad_request, field `input`) otherwise. */
export function parseChannelInput(input: string): ChannelInput {
  const text = (typeof input === 'string' ? input : '').trim();
  if (text === '') {
    throw bad('enter a channel URL, an @handle or a UC… channel id');
  }
  if (CHANNEL_ID.test(text)) return { kind: 'id', channelId: text };
  if (text.startsWith('@')) return parseHandle(text.slice(1));
  if (/^UC/.test(text) && !/[/.:]/.test(text)) {
    throw bad(`"${text}" is not a channel id: an id is "UC" followed by exactly 22 letters, digits, "_" or "-"`);
  }
  if (/[/.]/.test(text)) return parseChannelUrl(text);
  throw bad(
    `"${text}" is not a channel URL, @handle or UC… channel id (for a handle, add the "@": "@${text}")`,
  );
}

/** The uploads playlist (every public upload, Shorts included) of a channel. */
export function uploadsPlaylistId(channelId: string): string {
  assertChannelId(channelId);
  return `UU${channelId.slice(2)}`;
}

/** The long-form-only uploads playlist of a channel (no Shorts; undocumented but stable); collection polls its feed. */
export function longFormPlaylistId(channelId: string): string {
  assertChannelId(channelId);
  return `UULF${channelId.slice(2)}`;
}

function assertChannelId(channelId: string): void {
  if (!CHANNEL_ID.test(channelId)) {
    throw new DomainError('bad_request', `"${channelId}" is not a YouTube channel id (UC + 22 characters)`, 'channelId');
  }
}
