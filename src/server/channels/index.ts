/**
 * Celebrities and channels: registration (validated against YouTube), listing, status changes (approve/exclude),
 * and requests for backfill. Feed polling lives in `feeds/`, discovery in `channels/discovery.ts`.
 */
import { eq } from 'drizzle-orm';
import { getConfig } from '@/src/server/config';
import { getDb, schema, transaction } from '@/src/server/db';
import { now } from '@/src/server/clock';
import { DomainError, notFound } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { startJob } from '@/src/server/queue';
import { fetchChannelFeed } from '@/src/server/integrations/youtube-feed/client';
import { getChannelByHandle, getChannelsByIds, youtubeDataConfigured, type YoutubeChannel } from '@/src/server/integrations/youtube-data/client';
import { youtubeQuotaStatus } from '@/src/server/ops/quota';
import { parseChannelInput } from './channel-input';
import { resolveRange } from './date-range';
import {
  allCelebrities,
  findCelebrity,
  findChannel,
  findChannelByYoutubeId,
  listCelebrityRows,
  listChannelRows,
  setBackfillState,
  videoCountsByChannel,
  type CelebrityRow,
  type ChannelRow,
} from './repo';
import type { CelebrityDto, ChannelDto } from './schemas';

export { findChannel, allCelebrities, setBackfillState } from './repo';
export type { ChannelRow, CelebrityRow } from './repo';

const { channels, celebrities } = schema;

/** A channel registered twice: the API answers 409 with the existing id. */
export class DuplicateChannelError extends DomainError {
  constructor(readonly existingId: string, status: string) {
    super(
      'conflict',
      `This channel is already registered (#${existingId}, status ${status})` +
        (status === 'active' ? '.' : ': approve it in the channel list instead of adding it again.'),
      'input',
    );
  }
}

export function toCelebrityDto(c: CelebrityRow): CelebrityDto {
  return { id: String(c.id), name: c.name, aliases: c.aliases, createdAt: c.createdAt.toISOString(), isDemo: c.isDemo };
}

export function toChannelDto(c: ChannelRow, counts?: { total: number; skipped: number; failed: number; done: number }): ChannelDto & { videos?: typeof counts } {
  return {
    id: String(c.id),
    youtubeChannelId: c.youtubeChannelId,
    handle: c.handle,
    title: c.title,
    kind: c.kind,
    celebrityId: c.celebrityId === null ? null : String(c.celebrityId),
    status: c.status,
    feed: {
      lastSuccessAt: c.feedLastSuccessAt?.toISOString() ?? null,
      lastErrorAt: c.feedLastErrorAt?.toISOString() ?? null,
      lastError: c.feedLastError,
      consecutiveFailures: c.feedConsecutiveFailures,
      lastPolledAt: c.feedLastPolledAt?.toISOString() ?? null,
      source: c.feedSource,
    },
    description: c.description,
    thumbnailUrl: c.thumbnailUrl,
    subscriberCount: c.subscriberCount,
    videoCount: c.videoCount,
    discovery: c.discoveryQuery !== null || c.discoveryScore !== null ? { query: c.discoveryQuery, score: c.discoveryScore, signals: c.discoverySignals } : null,
    backfill: c.backfill ?? null,
    url: `https://www.youtube.com/channel/${c.youtubeChannelId}`,
    createdAt: c.createdAt.toISOString(),
    isDemo: c.isDemo,
    ...(counts ? { videos: counts } : {}),
  };
}

const parseId = (id: string, what: string) => {
  if (!/^\d{1,15}$/.test(id)) throw notFound(what); // longer: out of bigint range, no such row
  return Number(id);
};

// ── celebrities ────────────────────────────────────────────────────────────────────────────────────────────────

function cleanAliases(name: string, aliases: string[]): string[] {
  const seen = new Set([name.normalize('NFC').toLowerCase()]);
  const out: string[] = [];
  for (const a of aliases) {
    const alias = a.normalize('NFC').trim();
    const key = alias.toLowerCase();
    if (!alias || seen.has(key)) continue;
    seen.add(key);
    out.push(alias);
  }
  return out;
}

export async function createCelebrity(input: { name: string; aliases: string[] }): Promise<CelebrityDto> {
  const name = input.name.normalize('NFC').trim();
  const [row] = await getDb()
    .insert(celebrities)
    .values({ name, aliases: cleanAliases(name, input.aliases) })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    const [existing] = await getDb().select().from(celebrities).where(eq(celebrities.name, name));
    throw new DomainError('conflict', `A celebrity named "${name}" already exists (#${existing?.id}).`, 'name');
  }
  log.info({ celebrityId: row.id }, 'celebrity created');
  return toCelebrityDto(row);
}

export async function updateCelebrity(id: string, patch: { name?: string; aliases?: string[] }): Promise<CelebrityDto> {
  const current = await findCelebrity(parseId(id, 'Celebrity'));
  if (!current) throw notFound('Celebrity');
  const name = patch.name?.normalize('NFC').trim() ?? current.name;
  const aliases = cleanAliases(name, patch.aliases ?? current.aliases);
  try {
    const [row] = await getDb().update(celebrities).set({ name, aliases }).where(eq(celebrities.id, current.id)).returning();
    return toCelebrityDto(row);
  } catch (err) {
    if ((err as { cause?: { code?: string }; code?: string }).cause?.code === '23505' || (err as { code?: string }).code === '23505') {
      throw new DomainError('conflict', `A celebrity named "${name}" already exists.`, 'name');
    }
    throw err;
  }
}

export async function listCelebrities(q: { cursor?: string; limit: number }) {
  const rows = await listCelebrityRows({ beforeId: q.cursor ? Number(q.cursor) : undefined, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  return { items: page.map(toCelebrityDto), nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null };
}

export async function listAllCelebrities(): Promise<CelebrityDto[]> {
  return (await allCelebrities()).map(toCelebrityDto);
}

// ── channels ───────────────────────────────────────────────────────────────────────────────────────────────────

async function assertCelebrity(celebrityId: string | null | undefined): Promise<number | null> {
  if (celebrityId === null || celebrityId === undefined) return null;
  const row = await findCelebrity(Number(celebrityId));
  if (!row) throw new DomainError('bad_request', `celebrity #${celebrityId} does not exist`, 'celebrityId');
  return row.id;
}

type Resolved = Pick<ChannelRow, 'youtubeChannelId' | 'handle' | 'title' | 'description' | 'thumbnailUrl' | 'subscriberCount' | 'videoCount' | 'viewCount'>;

function fromDataApi(c: YoutubeChannel): Resolved {
  return {
    youtubeChannelId: c.id,
    handle: c.handle,
    title: c.title,
    description: c.description,
    thumbnailUrl: c.thumbnailUrl,
    subscriberCount: c.subscriberCount,
    videoCount: c.videoCount,
    viewCount: c.viewCount,
  };
}

/**
 * Confirms that the channel exists: with YOUTUBE_API_KEY via channels.list (id or forHandle); without it only a UC id
 * is accepted, and its public feed must answer.
 */
export async function resolveChannel(input: string): Promise<Resolved> {
  const parsed = parseChannelInput(input);
  if (youtubeDataConfigured()) {
    if (parsed.kind === 'handle') {
      const found = await getChannelByHandle(parsed.handle);
      if (!found) throw new DomainError('bad_request', `No YouTube channel has the handle ${parsed.handle}.`, 'input');
      return fromDataApi(found);
    }
    const [found] = await getChannelsByIds([parsed.channelId]);
    if (!found) throw new DomainError('bad_request', `No YouTube channel has the id ${parsed.channelId}.`, 'input');
    return fromDataApi(found);
  }
  if (parsed.kind === 'handle') {
    throw new DomainError(
      'bad_request',
      `A YouTube API key (YOUTUBE_API_KEY) is needed to resolve handles like ${parsed.handle}: set the key, or enter the channel's UC… id.`,
      'input',
    );
  }
  const { feed } = await fetchChannelFeed(parsed.channelId, { channelNotFound: 'missing', retries: 1 });
  return {
    youtubeChannelId: parsed.channelId,
    handle: null,
    title: feed.title,
    description: '',
    thumbnailUrl: null,
    subscriberCount: null,
    videoCount: null,
    viewCount: null,
  };
}

export async function createChannel(input: { input: string; kind: 'celebrity' | 'media'; celebrityId?: string | null }): Promise<ChannelDto> {
  const celebrityId = await assertCelebrity(input.celebrityId);
  if (input.kind === 'celebrity' && celebrityId === null) {
    throw new DomainError('bad_request', 'a celebrity channel must be linked to a celebrity: choose one (celebrityId)', 'celebrityId');
  }
  // Cheap duplicate check before calling YouTube when the input already names the id.
  const parsed = parseChannelInput(input.input);
  if (parsed.kind === 'id') {
    const existing = await findChannelByYoutubeId(parsed.channelId);
    if (existing) throw new DuplicateChannelError(String(existing.id), existing.status);
  }
  const resolved = await resolveChannel(input.input);
  const [row] = await getDb()
    .insert(channels)
    .values({ ...resolved, kind: input.kind, celebrityId: input.kind === 'media' ? null : celebrityId, status: 'active' })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    const existing = await findChannelByYoutubeId(resolved.youtubeChannelId);
    throw new DuplicateChannelError(String(existing?.id ?? '?'), existing?.status ?? 'active');
  }
  log.info({ channelId: row.id, youtubeChannelId: row.youtubeChannelId, kind: row.kind }, 'channel registered');
  return toChannelDto(row);
}

export async function listChannels(q: { status?: ChannelRow['status']; kind?: ChannelRow['kind']; celebrityId?: string; cursor?: string; limit: number }) {
  const rows = await listChannelRows({
    status: q.status,
    kind: q.kind,
    celebrityId: q.celebrityId ? Number(q.celebrityId) : undefined,
    beforeId: q.cursor ? Number(q.cursor) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const counts = await videoCountsByChannel(page.map((r) => r.id));
  const zero = { total: 0, skipped: 0, failed: 0, done: 0 };
  return {
    items: page.map((r) => toChannelDto(r, counts.get(r.id) ?? zero)),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null,
  };
}

export async function getChannelOrThrow(id: string): Promise<ChannelRow> {
  const row = await findChannel(parseId(id, 'Channel'));
  if (!row) throw notFound('Channel');
  return row;
}

export async function getChannelDto(id: string): Promise<ChannelDto> {
  const row = await getChannelOrThrow(id);
  const counts = await videoCountsByChannel([row.id]);
  return toChannelDto(row, counts.get(row.id) ?? { total: 0, skipped: 0, failed: 0, done: 0 });
}

/** Approve (active), exclude, or change kind/celebrity. A channel is never disabled automatically. */
export async function updateChannel(id: string, patch: { status?: ChannelRow['status']; kind?: ChannelRow['kind']; celebrityId?: string | null }): Promise<ChannelDto> {
  const current = await getChannelOrThrow(id);
  const kind = patch.kind ?? current.kind;
  const status = patch.status ?? current.status;
  let celebrityId = patch.celebrityId === undefined ? current.celebrityId : await assertCelebrity(patch.celebrityId);
  if (kind === 'media') celebrityId = null;
  if (kind === 'celebrity' && status === 'active' && celebrityId === null) {
    throw new DomainError('bad_request', 'an active celebrity channel must be linked to a celebrity: send celebrityId (or kind "media")', 'celebrityId');
  }
  const [row] = await getDb().update(channels).set({ kind, status, celebrityId }).where(eq(channels.id, current.id)).returning();
  log.info({ channelId: row.id, status: row.status, kind: row.kind }, 'channel updated');
  return toChannelDto(row);
}

/** Queues a backfill of the channel's uploads between two dates (inclusive days in the app's time zone). */
export async function requestBackfill(id: string, range: { from: string; to: string }) {
  if (!youtubeDataConfigured()) {
    throw new DomainError('not_configured', 'Backfill needs the YouTube Data API: YOUTUBE_API_KEY is not set.');
  }
  const channel = await getChannelOrThrow(id);
  const { from, to } = resolveRange(range.from, range.to, getConfig().TZ);
  const quota = await youtubeQuotaStatus();
  if (quota.usedUnits + 2 > quota.limitUnits) {
    throw new DomainError('budget_exhausted', `YouTube Data API quota for today is used up (${quota.usedUnits} of ${quota.limitUnits} units); it resets at ${quota.resetsAt}.`);
  }
  const jobId = await transaction(async (tx, client) => {
    const sent = await startJob('channels.backfill', { channelId: String(channel.id), from: from.toISOString(), to: to.toISOString() }, { client });
    // The same range already queued or running keeps its state; anything else starts over as queued.
    if (sent) await setBackfillState(channel.id, { fromDay: range.from, toDay: range.to, from: from.toISOString(), to: to.toISOString(), state: 'queued', requestedAt: now().toISOString(), finishedAt: null, found: null, stored: null, resumesAt: null, error: null }, tx);
    return sent;
  });
  log.info({ channelId: channel.id, from, to, jobId }, 'backfill requested');
  return { channelId: String(channel.id), from: from.toISOString(), to: to.toISOString(), jobId, alreadyQueued: jobId === null };
}
