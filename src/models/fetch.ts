import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
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
 * Model downloads (used by scripts/models-fetch.ts). Each file is written to a temp file beside its destination,
 * checked, then renamed, so a half download never looks present. Files already present (size > 0) are skipped.
 * Known sha256 values (the YOLOX release asset) are enforced: a mismatch is refused and nothing is installed.
 * Files without a known sha256 (Whisper) get theirs recorded in `<dir>/.sha256.json` on download; with
 * `verify: true` present files are rechecked against that manifest (or the known value).
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
  error?: string;
}

export class ChecksumMismatchError extends Error {
  constructor(
    readonly relPath: string,
    readonly expected: string,
    readonly actual: string,
    readonly url: string,
  ) {
    super(
      `sha256 mismatch for ${relPath} from ${url}: expected ${expected}, got ${actual}. ` +
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

/** Downloads `url` to `dest` through a temp file; verifies `expectedSha256` when given; renames on success. */
export async function downloadFile(
  url: string,
  dest: string,
  opts: { expectedSha256?: string; relPath?: string; timeoutMs?: number } = {},
): Promise<{ bytes: number; sha256: string }> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.part-${process.pid}-${randomBytes(4).toString('hex')}`;
  const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(opts.timeoutMs ?? 30 * 60_000) });
  if (!res.ok || !res.body) {
    throw new Error(`download failed for ${url}: HTTP ${res.status} ${res.statusText}`.trim());
  }
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
    body.on('data', (c: Buffer) => {
      hash.update(c);
      bytes += c.length;
    });
    await pipeline(body, fs.createWriteStream(tmp));
    const sha256 = hash.digest('hex');
    if (bytes === 0) throw new Error(`download from ${url} was empty`);
    if (opts.expectedSha256 && opts.expectedSha256.toLowerCase() !== sha256) {
      throw new ChecksumMismatchError(opts.relPath ?? path.basename(dest), opts.expectedSha256, sha256, url);
    }
    await fs.promises.rename(tmp, dest);
    return { bytes, sha256 };
  } finally {
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
  onResult?: (r: FetchResult) => void;
}

/** Fetches every missing item; never throws for one file's failure (see `action: 'failed'`). */
export async function fetchModels(items: FetchItem[], o: FetchOptions): Promise<FetchResult[]> {
  const out: FetchResult[] = [];
  for (const item of items) {
    const dest = path.join(o.modelsDir, item.relPath);
    let r: FetchResult;
    try {
      if (fileReady(dest)) {
        r = { relPath: item.relPath, action: 'skipped' };
        if (o.verify) {
          const expected = expectedShaFor(o.modelsDir, item);
          const actual = await sha256File(dest);
          if (expected && expected !== actual) {
            r = { relPath: item.relPath, action: 'failed', sha256: actual, error: `present file has sha256 ${actual}, expected ${expected}` };
          } else {
            r = { relPath: item.relPath, action: expected ? 'verified' : 'skipped', sha256: actual };
          }
        }
      } else {
        const { bytes, sha256 } = await downloadFile(item.url, dest, { expectedSha256: item.sha256, relPath: item.relPath });
        if (!item.sha256) recordSha(o.modelsDir, item, sha256);
        r = { relPath: item.relPath, action: 'downloaded', url: item.url, bytes, sha256 };
      }
    } catch (err) {
      r = { relPath: item.relPath, action: 'failed', url: item.url, error: (err as Error).message };
    }
    out.push(r);
    o.onResult?.(r);
  }
  return out;
}
