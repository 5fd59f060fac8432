import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  YOLOX_OFFICIAL_URL,
  YOLOX_REL_PATH,
  YOLOX_SHA256,
  fileReady,
  huggingFaceUrl,
  sha256File,
  whisperFiles,
  type WhisperDtype,
} from '@/src/models/registry';

/**
 * Model downloads (used by scripts/models-fetch.ts and the background fetch at start-up, auto-fetch.ts). Each file
 * is written to a temp file beside its destination, checked, then renamed, so a half download never looks present.
 * Files already present (size > 0) are skipped. Known sha256 values (the YOLOX release asset) are enforced: a
 * mismatch is refused and nothing is installed. Files without a known sha256 (Whisper) are checked against the
 * sha256 the server states (Hugging Face's X-Linked-Etag) when it states one, else trusted on first download; either
 * way their sha256 is recorded in `<dir>/.sha256.json`, and with `verify: true` present files are rechecked against
 * that manifest (or the known value).
 */
export interface FetchItem {
  /** Path relative to MODELS_DIR, also the path under MODELS_BASE_URL. */
  relPath: string;
  url: string;
  sha256?: string;
  /** Folder (relative to MODELS_DIR) whose `.sha256.json` records this file's sha256; default: its own folder. */
  manifestDir?: string;
}

export type FetchAction = 'skipped' | 'verified' | 'downloaded' | 'failed';

export interface FetchResult {
  relPath: string;
  action: FetchAction;
  url?: string;
  bytes?: number;
  sha256?: string;
  /** For a download: what its sha256 was checked against (`none`: trusted on first download). */
  verifiedBy?: Verification;
  error?: string;
  reason?: FetchFailureReason;
  /** The HTTP status when `reason` is `http_status`. */
  httpStatus?: number;
}

export class ChecksumMismatchError extends Error {
  constructor(
    readonly relPath: string,
    readonly expected: string,
    readonly actual: string,
    readonly url: string,
    /** Where `expected` came from: known in advance, or stated by the server (X-Linked-Etag). */
    readonly source: 'known' | 'server' = 'known',
  ) {
    super(
      `sha256 mismatch for ${relPath} from ${url}: expected ${expected}${source === 'server' ? ' (stated by the server)' : ''}, got ${actual}. ` +
        'Refusing to install it (the file was discarded); check MODELS_BASE_URL or the source.',
    );
    this.name = 'ChecksumMismatchError';
  }
}

export interface PlanOptions {
  baseUrl?: string;
  whisperModel: string;
  whisperDtype: WhisperDtype;
  /** relPath → sha256; overrides the built-in known values (tests inject their own). */
  expectedSha256?: Record<string, string>;
  includeWhisper?: boolean;
}

function joinUrl(base: string, rel: string): string {
  return `${base.replace(/\/+$/, '')}/${rel.split('/').map(encodeURIComponent).join('/')}`;
}

/** What models:fetch wants on disk, with URLs from MODELS_BASE_URL when set, else the official sources. */
export function downloadPlan(o: PlanOptions): FetchItem[] {
  const known: Record<string, string> = { [YOLOX_REL_PATH]: YOLOX_SHA256, ...o.expectedSha256 };
  const items: FetchItem[] = [
    { relPath: YOLOX_REL_PATH, url: o.baseUrl ? joinUrl(o.baseUrl, YOLOX_REL_PATH) : YOLOX_OFFICIAL_URL },
  ];
  if (o.includeWhisper !== false) {
    for (const f of whisperFiles(o.whisperDtype)) {
      const rel = `${o.whisperModel}/${f}`;
      items.push({ relPath: rel, manifestDir: o.whisperModel, url: o.baseUrl ? joinUrl(o.baseUrl, rel) : huggingFaceUrl(o.whisperModel, f) });
    }
  }
  return items.map((it) => (known[it.relPath] ? { ...it, sha256: known[it.relPath] } : it));
}

/** Why a download did not install a file; the background fetcher shows it per model. */
export type FetchFailureReason = 'offline' | 'checksum_mismatch' | 'stalled' | 'http_status' | 'error';

/** The server could not be reached at all (DNS, connection refused, no route): nothing to gain by retrying now. */
export class OfflineError extends Error {
  constructor(
    readonly url: string,
    readonly code: string,
  ) {
    super(`cannot reach ${new URL(url).host} (${code}): no network or the host is down`);
    this.name = 'OfflineError';
  }
}

export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    statusText = '',
  ) {
    super(`download failed for ${url}: HTTP ${status} ${statusText}`.trim());
    this.name = 'HttpStatusError';
  }
}

export class StalledDownloadError extends Error {
  constructor(
    readonly url: string,
    readonly seconds: number,
    readonly bytes: number,
  ) {
    super(`download of ${url} stalled: no data for ${seconds} s after ${bytes} bytes; aborted (nothing installed)`);
    this.name = 'StalledDownloadError';
  }
}

/** Error codes of a failed connection (as opposed to a failure after the server answered). */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** The connection-level error code inside a fetch() rejection (`TypeError: fetch failed` with a cause). */
function connectErrorCode(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  const walk = (e: unknown): string | undefined => {
    if (!e || typeof e !== 'object' || seen.has(e)) return undefined;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && OFFLINE_CODES.has(code)) return code;
    for (const inner of (e as { errors?: unknown[] }).errors ?? []) {
      const c = walk(inner);
      if (c) return c;
    }
    return walk((e as { cause?: unknown }).cause);
  };
  return walk(err);
}

export function failureReason(err: unknown): FetchFailureReason {
  if (err instanceof OfflineError) return 'offline';
  if (err instanceof ChecksumMismatchError) return 'checksum_mismatch';
  if (err instanceof StalledDownloadError) return 'stalled';
  if (err instanceof HttpStatusError) return 'http_status';
  return 'error';
}

/** A sha256 stated by the server: Hugging Face answers LFS files with `X-Linked-Etag: "<sha256>"` (and an ETag). */
function sha256FromHeader(value: string | null): string | undefined {
  const v = value?.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
  return v && /^[0-9a-f]{64}$/.test(v) ? v : undefined;
}

/** How a downloaded file's content was checked: a sha256 known in advance, one the server stated, or none. */
export type Verification = 'known' | 'server' | 'none';

export interface DownloadProgress {
  bytesDone: number;
  bytesTotal: number | null;
}

export interface DownloadOptions {
  expectedSha256?: string;
  relPath?: string;
  /** Abort when no byte arrives for this long, also while waiting for the answer (default 60 s). */
  stallTimeoutMs?: number;
  /** Overall limit (none by default: the stall timeout catches a dead transfer, a slow one may finish). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Called once per request made (each redirect hop counts), before it is sent. */
  onRequest?: (url: string) => void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads `url` to `dest` through a temp file and renames it into place only when it checks out: against
 * `expectedSha256` when given, else against the sha256 the server states (Hugging Face's `X-Linked-Etag` on the
 * resolve answer, which is a redirect: redirects are followed here so that header is seen). A stalled transfer is
 * aborted; a mismatch is discarded. Throws OfflineError, HttpStatusError, StalledDownloadError or
 * ChecksumMismatchError; the temp file never stays behind.
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<{ bytes: number; sha256: string; verifiedBy: Verification }> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.part-${process.pid}-${randomBytes(4).toString('hex')}`;
  const stallMs = opts.stallTimeoutMs ?? 60_000;
  const stall = new AbortController();
  let bytes = 0;
  let current = url;
  const timer = setTimeout(() => stall.abort(new StalledDownloadError(current, Math.round(stallMs / 100) / 10, bytes)), stallMs);
  const signals = [stall.signal, opts.signal, opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
  const signal = AbortSignal.any(signals);
  const rethrow = (err: unknown): never => {
    if (stall.signal.aborted) throw stall.signal.reason;
    const code = connectErrorCode(err);
    if (code && !signal.aborted) throw new OfflineError(current, code);
    const cause = (err as { cause?: { message?: string; code?: string } }).cause;
    if (err instanceof TypeError && cause) throw new Error(`download of ${current} failed: ${cause.message || cause.code}`, { cause });
    throw err;
  };
  try {
    let res: Response;
    let serverSha: string | undefined;
    for (let hop = 0; ; hop++) {
      opts.onRequest?.(current);
      res = await fetch(current, { redirect: 'manual', signal }).catch(rethrow);
      serverSha ??= sha256FromHeader(res.headers.get('x-linked-etag'));
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || !location) break;
      await res.body?.cancel().catch(() => undefined);
      if (hop >= 10) throw new Error(`download of ${url}: too many redirects`);
      current = new URL(location, current).toString();
      timer.refresh();
    }
    if (!res.ok || !res.body) throw new HttpStatusError(current, res.status, res.statusText);
    serverSha ??= sha256FromHeader(res.headers.get('etag'));
    const expected = opts.expectedSha256?.toLowerCase() ?? serverSha;
    const verifiedBy: Verification = opts.expectedSha256 ? 'known' : serverSha ? 'server' : 'none';
    const length = Number(res.headers.get('content-length') ?? res.headers.get('x-linked-size'));
    const bytesTotal = Number.isFinite(length) && length > 0 ? length : null;
    const hash = createHash('sha256');
    opts.onProgress?.({ bytesDone: 0, bytesTotal });
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        timer.refresh();
        hash.update(chunk);
        bytes += chunk.length;
        opts.onProgress?.({ bytesDone: bytes, bytesTotal });
        done(null, chunk);
      },
    });
    const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
    await pipeline(body, counter, fs.createWriteStream(tmp), { signal }).catch(rethrow);
    const sha256 = hash.digest('hex');
    if (bytes === 0) throw new Error(`download from ${current} was empty`);
    if (expected && expected !== sha256) {
      throw new ChecksumMismatchError(opts.relPath ?? path.basename(dest), expected, sha256, current, verifiedBy === 'server' ? 'server' : 'known');
    }
    await fs.promises.rename(tmp, dest);
    return { bytes, sha256, verifiedBy };
  } finally {
    clearTimeout(timer);
    await fs.promises.rm(tmp, { force: true });
  }
}

const MANIFEST = '.sha256.json';

function manifestPathFor(modelsDir: string, item: FetchItem): { file: string; key: string } {
  const dir = item.manifestDir ?? path.posix.dirname(item.relPath);
  const key = path.posix.relative(dir, item.relPath);
  return { file: path.join(modelsDir, dir, MANIFEST), key };
}

function readManifest(file: string): Record<string, string> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function recordSha(modelsDir: string, item: FetchItem, sha256: string): void {
  const { file, key } = manifestPathFor(modelsDir, item);
  const m = readManifest(file);
  m[key] = sha256;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(m, null, 2) + '\n');
}

/** The sha256 a present file should have: the known value, else the one recorded at download. */
export function expectedShaFor(modelsDir: string, item: FetchItem): string | undefined {
  if (item.sha256) return item.sha256;
  const { file, key } = manifestPathFor(modelsDir, item);
  return readManifest(file)[key];
}

export interface FetchOptions {
  modelsDir: string;
  /** Recheck present files against the known/recorded sha256 (reads every byte). */
  verify?: boolean;
  stallTimeoutMs?: number;
  signal?: AbortSignal;
  onResult?: (r: FetchResult) => void;
  onProgress?: (item: FetchItem, p: DownloadProgress) => void;
  onRequest?: (url: string) => void;
  /** Stop at the first file whose server cannot be reached (the rest are reported failed/offline, not tried). */
  stopWhenOffline?: boolean;
}

/** Fetches one item unless present (then optionally verifies it); never throws (see `action: 'failed'`). */
export async function fetchItem(item: FetchItem, o: FetchOptions): Promise<FetchResult> {
  const dest = path.join(o.modelsDir, item.relPath);
  try {
    if (fileReady(dest)) {
      if (!o.verify) return { relPath: item.relPath, action: 'skipped' };
      const expected = expectedShaFor(o.modelsDir, item);
      const actual = await sha256File(dest);
      if (expected && expected !== actual) {
        return { relPath: item.relPath, action: 'failed', reason: 'checksum_mismatch', sha256: actual, error: `present file has sha256 ${actual}, expected ${expected}` };
      }
      return { relPath: item.relPath, action: expected ? 'verified' : 'skipped', sha256: actual };
    }
    const { bytes, sha256, verifiedBy } = await downloadFile(item.url, dest, {
      expectedSha256: item.sha256,
      relPath: item.relPath,
      stallTimeoutMs: o.stallTimeoutMs,
      signal: o.signal,
      onProgress: o.onProgress && ((p) => o.onProgress!(item, p)),
      onRequest: o.onRequest,
    });
    if (!item.sha256) recordSha(o.modelsDir, item, sha256);
    return { relPath: item.relPath, action: 'downloaded', url: item.url, bytes, sha256, verifiedBy };
  } catch (err) {
    const httpStatus = err instanceof HttpStatusError ? err.status : undefined;
    return { relPath: item.relPath, action: 'failed', url: item.url, reason: failureReason(err), error: (err as Error).message, ...(httpStatus ? { httpStatus } : {}) };
  }
}

/** Fetches every missing item; never throws for one file's failure (see `action: 'failed'`). */
export async function fetchModels(items: FetchItem[], o: FetchOptions): Promise<FetchResult[]> {
  const out: FetchResult[] = [];
  let offline: FetchResult | undefined;
  for (const item of items) {
    const r: FetchResult = offline
      ? { relPath: item.relPath, action: 'failed', url: item.url, reason: 'offline', error: `not tried: ${offline.error}` }
      : await fetchItem(item, o);
    if (o.stopWhenOffline && r.reason === 'offline') offline ??= r;
    out.push(r);
    o.onResult?.(r);
  }
  return out;
}
