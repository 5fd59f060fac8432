/**
 * Parses a YouTube Atom feed (`/feeds/videos.xml?channel_id=…` or `?playlist_id=UULF…`) into typed entries.
 *
 * Safety: documents with a DOCTYPE or ENTITY declaration are refused before parsing (no internal/external entity
 * expansion at all, so billion-laughs and XXE payloads cost one regex scan). Only the five XML built-in entities and
 * numeric character references are decoded; fast-xml-parser's `htmlEntities` table also maps HTML names such as
 * `&nbsp;` to fixed characters, which cannot expand. Well-formedness is checked with XMLValidator first, then the
 * shape is validated with zod. Every failure is DomainError('upstream_failed', 'YouTube feed is not valid Atom: …').
 *
 * Observed quirk: the feed-level `<yt:channelId>` may lack the "UC" prefix (`kFoodVlog…` for `UCkFoodVlog…`); it is
 * normalized back to the UC form.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { DomainError } from '@/src/server/errors';

export interface YoutubeFeedEntry {
  videoId: string;
  channelId: string;
  title: string;
  url: string;
  published: Date;
  updated: Date | null;
  description: string;
  /** The entry links to youtube.com/shorts/… (channel feeds list Shorts this way; undocumented but observed). */
  isShortLink: boolean;
}

export interface YoutubeFeed {
  channelId: string;
  /** Set for playlist feeds (`playlist_id=…`). */
  playlistId: string | null;
  title: string;
  entries: YoutubeFeedEntry[];
}

export interface ParseYoutubeFeedOptions {
  /** Refuse bodies larger than this many UTF-16 code units (default 5 MB-ish; a 15-entry feed is ~30 kB). */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 5_000_000;
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

const invalid = (detail: string) => new DomainError('upstream_failed', `YouTube feed is not valid Atom: ${detail}`);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Built-in/numeric/HTML references only: DOCTYPE (the only source of custom entities) is refused before parsing.
  processEntities: true,
  htmlEntities: true,
  isArray: (_name: string, jpath: unknown) =>
    typeof jpath === 'string' && ['feed.entry', 'feed.link', 'feed.entry.link'].includes(jpath),
});

/** Text content of an element; elements with attributes come back as objects holding `#text`. */
const text = z
  .union([z.string(), z.object({ '#text': z.string().optional() }).passthrough()])
  .transform((v) => (typeof v === 'string' ? v : (v['#text'] ?? '')));

const isoDate = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)), 'expected an ISO 8601 date-time')
  .transform((v) => new Date(v));

const link = z.object({ rel: z.string().optional(), href: z.string() }).passthrough();

const entrySchema = z
  .object({
    'yt:videoId': text.pipe(z.string().regex(VIDEO_ID, 'expected an 11-character video id')),
    'yt:channelId': text.pipe(z.string().regex(CHANNEL_ID, 'expected a UC… channel id')),
    title: text.optional(),
    link: z.array(link).default([]),
    published: isoDate,
    updated: isoDate.optional(),
    'media:group': z
      .object({ 'media:title': text.optional(), 'media:description': text.optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

const feedSchema = z.object({
  feed: z
    .object({
      'yt:channelId': text.optional(),
      'yt:playlistId': text.optional(),
      title: text.optional(),
      link: z.array(link).default([]),
      entry: z.array(entrySchema).default([]),
    })
    .passthrough(),
});

function normalizeChannelId(raw: string | undefined): string | null {
  const value = raw?.trim() ?? '';
  if (CHANNEL_ID.test(value)) return value;
  if (/^[A-Za-z0-9_-]{22}$/.test(value)) return `UC${value}`;
  return null;
}

function channelIdFromLinks(links: { rel?: string; href: string }[]): string | null {
  for (const { href } of links) {
    const match = /(?:[?&]channel_id=|\/channel\/)(UC[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/.exec(href);
    if (match) return match[1]!;
  }
  return null;
}

function isShortsUrl(href: string): boolean {
  try {
    return new URL(href).pathname.startsWith('/shorts/');
  } catch {
    return false;
  }
}

function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected structure';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'document';
  return `${where}: ${issue.message}`;
}

export function parseYoutubeFeed(xml: string, options: ParseYoutubeFeedOptions = {}): YoutubeFeed {
  if (typeof xml !== 'string' || xml.trim() === '') throw invalid('the body is empty');
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (xml.length > maxLength) throw invalid(`the body is ${xml.length} characters, more than the ${maxLength} allowed`);
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw invalid('DOCTYPE/ENTITY declarations are refused (entity expansion is never performed)');
  }

  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    throw invalid(`${wellFormed.err.msg} (line ${wellFormed.err.line}, column ${wellFormed.err.col})`);
  }

  let raw: unknown;
  try {
    raw = parser.parse(xml);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }

  const parsed = feedSchema.safeParse(raw);
  if (!parsed.success) throw invalid(describeZodError(parsed.error));
  const feed = parsed.data.feed;

  const entries: YoutubeFeedEntry[] = feed.entry.map((entry) => {
    const alternate = entry.link.find((l) => l.rel === 'alternate') ?? entry.link[0];
    const url = alternate?.href ?? `https://www.youtube.com/watch?v=${entry['yt:videoId']}`;
    return {
      videoId: entry['yt:videoId'],
      channelId: entry['yt:channelId'],
      title: entry.title ?? entry['media:group']?.['media:title'] ?? '',
      url,
      published: entry.published,
      updated: entry.updated ?? null,
      description: entry['media:group']?.['media:description'] ?? '',
      isShortLink: isShortsUrl(url),
    };
  });

  const channelId =
    normalizeChannelId(feed['yt:channelId']) ?? channelIdFromLinks(feed.link) ?? entries[0]?.channelId ?? null;
  if (!channelId) throw invalid('the feed names no channel (yt:channelId missing)');

  return {
    channelId,
    playlistId: feed['yt:playlistId']?.trim() || null,
    title: feed.title ?? '',
    entries,
  };
}
