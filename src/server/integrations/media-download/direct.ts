import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DomainError } from '@/src/server/errors';
import { safeFetch } from '@/src/server/integrations/http/safe-fetch';
import { errorFromResponse } from '@/src/server/integrations/errors';

/** File extension for a direct media download, from the Content-Type or the URL path; mp4 when neither says. */
export function mediaExtension(contentType: string | null, url: string): string {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const byType: Record<string, string> = {
    'video/mp4': 'mp4',
    'video/webm': 'webm',
    'video/quicktime': 'mov',
    'video/x-matroska': 'mkv',
    'audio/mp4': 'm4a',
    'audio/mpeg': 'mp3',
    'audio/wav': 'wav',
    'audio/x-wav': 'wav',
  };
  if (byType[type]) return byType[type];
  const ext = /\.([a-z0-9]{2,4})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return ext && ['mp4', 'webm', 'mov', 'mkv', 'm4a', 'mp3', 'wav', 'm4v'].includes(ext) ? ext : 'mp4';
}

/**
 * Streams a user-submitted media URL to `dest` through safeFetch: every hop (redirects included) is checked against
 * private addresses unless allowPrivate, the body is capped at maxBytes, the whole download at timeoutMs.
 * A 4xx answer is a DomainError('bad_request') (the URL is wrong; retrying will not help); 5xx/429 an IntegrationError
 * the policy layer retries. Nothing is left at `dest` on failure.
 */
export async function downloadDirect(
  url: string,
  dest: string,
  opts: { allowPrivate: boolean; maxBytes: number; timeoutMs: number; signal?: AbortSignal },
): Promise<{ bytes: number; contentType: string | null; finalUrl: string }> {
  const res = await safeFetch(url, { signal: opts.signal, headers: { accept: 'video/*, audio/*, */*;q=0.5' } }, {
    allowPrivate: opts.allowPrivate,
    maxBytes: opts.maxBytes,
    timeoutMs: opts.timeoutMs,
    maxRedirects: 5,
  });
  if (!res.ok) {
    void res.body?.cancel();
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      throw new DomainError('bad_request', `The media URL answered HTTP ${res.status}; check that it points at a downloadable file.`, 'url');
    }
    throw errorFromResponse('media', 'download', res);
  }
  if (!res.body) throw new DomainError('bad_request', 'The media URL answered without a body.', 'url');
  const contentType = res.headers.get('content-type');
  if (/^text\/html\b/i.test(contentType ?? '')) {
    void res.body.cancel();
    throw new DomainError('bad_request', 'The URL is a web page (text/html), not a media file; submit the address of the video file itself.', 'url');
  }
  try {
    await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), createWriteStream(dest));
  } catch (err) {
    await fs.rm(dest, { force: true });
    throw err;
  }
  const { size } = await fs.stat(dest);
  return { bytes: size, contentType, finalUrl: res.url };
}
