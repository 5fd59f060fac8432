/**
 * Discovery: search.list (type=channel; or, with a period, type=video published in it, grouped by channel) →
 * channels.list details → a score with its signals → channels stored with status `candidate` for the operator to
 * approve (PATCH status active) or exclude. Channels already registered keep their status; candidates get the
 * newest score. The daily search budget (YOUTUBE_SEARCH_DAILY_BUDGET) and quota are enforced by the ledger.
 */
import { sql } from 'drizzle-orm';
import { now } from '@/src/server/clock';
import { getConfig } from '@/src/server/config';
import { getDb, schema } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { getChannelsByIds, searchYoutube, youtubeDataConfigured } from '@/src/server/integrations/youtube-data/client';
import { youtubeQuotaStatus } from '@/src/server/ops/quota';
import { createAliasMatcher } from './alias-match';
import { resolveRange } from './date-range';
import { allCelebrities, toChannelDto } from './index';
import { scoreDiscoveredChannel } from './discovery-score';
import type { ChannelDto } from './schemas';

const { channels } = schema;

export async function discoverChannels(input: { query: string; from?: string; to?: string }): Promise<{ query: string; items: ChannelDto[]; searchBudget: { used: number; limit: number } }> {
  if (!youtubeDataConfigured()) {
    throw new DomainError('not_configured', 'Channel discovery needs the YouTube Data API: YOUTUBE_API_KEY is not set.');
  }
  const query = input.query.normalize('NFC').trim();
  if ((input.from && !input.to) || (!input.from && input.to)) {
    throw new DomainError('bad_request', 'give both from and to for a period, or neither', input.from ? 'to' : 'from');
  }
  const period = input.from && input.to ? resolveRange(input.from, input.to, getConfig().TZ) : null;

  const celebs = await allCelebrities();
  const matcher = createAliasMatcher(celebs.map((c) => ({ id: String(c.id), name: c.name, aliases: c.aliases })));
  const mention = matcher.findMentions(query)[0];
  const celebrity = mention ? celebs.find((c) => String(c.id) === mention.celebrityId) : undefined;

  const hits = await searchYoutube(
    period ? { query, type: 'video', publishedAfter: period.from, publishedBefore: period.to } : { query, type: 'channel' },
  );
  const hitCount = new Map<string, number>();
  for (const h of hits) hitCount.set(h.channelId, (hitCount.get(h.channelId) ?? 0) + (h.videoId ? 1 : 0));
  const ids = [...hitCount.keys()].slice(0, 50);
  const details = ids.length ? await getChannelsByIds(ids) : [];

  const at = now();
  const stored: ChannelDto[] = [];
  for (const ch of details) {
    const { score, signals } = scoreDiscoveredChannel({
      query,
      aliases: celebrity ? [celebrity.name, ...celebrity.aliases] : [],
      channel: ch,
      hits: hitCount.get(ch.id) ?? 0,
      now: at,
    });
    const values = {
      youtubeChannelId: ch.id,
      handle: ch.handle,
      title: ch.title,
      description: ch.description,
      thumbnailUrl: ch.thumbnailUrl,
      subscriberCount: ch.subscriberCount,
      videoCount: ch.videoCount,
      viewCount: ch.viewCount,
      kind: 'celebrity' as const,
      celebrityId: celebrity?.id ?? null,
      status: 'candidate' as const,
      discoveryQuery: query,
      discoveryScore: score,
      discoverySignals: signals as unknown as Record<string, unknown>,
    };
    const [row] = await getDb()
      .insert(channels)
      .values(values)
      .onConflictDoUpdate({
        target: channels.youtubeChannelId,
        // Registered channels keep everything but the fresh statistics; candidates also get the new score.
        set: {
          subscriberCount: values.subscriberCount,
          videoCount: values.videoCount,
          viewCount: values.viewCount,
          discoveryQuery: sql`case when ${channels.status} = 'candidate' then excluded.discovery_query else ${channels.discoveryQuery} end`,
          discoveryScore: sql`case when ${channels.status} = 'candidate' then excluded.discovery_score else ${channels.discoveryScore} end`,
          discoverySignals: sql`case when ${channels.status} = 'candidate' then excluded.discovery_signals else ${channels.discoverySignals} end`,
        },
      })
      .returning();
    stored.push(toChannelDto(row));
  }
  stored.sort((a, b) => (b.discovery?.score ?? 0) - (a.discovery?.score ?? 0));
  const quota = await youtubeQuotaStatus();
  log.info({ query, period: !!period, found: stored.length }, 'channel discovery');
  return { query, items: stored, searchBudget: { used: quota.searchCalls, limit: quota.searchBudget } };
}

