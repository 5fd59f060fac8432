import fs from 'node:fs/promises';
import { DomainError } from '@/src/server/errors';

/**
 * A write that failed because the disk is full. Node reports ENOSPC (or EDQUOT over a quota) with the absolute path in
 * its message; ffmpeg says "No space left on device" on stderr. Both become one DomainError (`insufficient_storage`,
 * 507) that says what could not be written, without the server's paths. It is not permanent: a job retries it, and
 * an operator's retry works once space is freed.
 */
const CODES = ['ENOSPC', 'EDQUOT'];

export function isDiskFull(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    if (e instanceof DomainError) return e.code === 'insufficient_storage';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODES.includes(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** ffmpeg's stderr when its output could not be written for lack of space. */
export function isDiskFullText(text: string): boolean {
  return /No space left on device|Disk quota exceeded/i.test(text);
}

export function diskFullError(what: string): DomainError {
  return new DomainError(
    'insufficient_storage',
    `The server's disk is full (ENOSPC: no space left on device) while writing ${what}; nothing half-written was kept. Free space in the data folder (DATA_DIR), then retry.`,
  );
}

/** Below this many bytes free, a file that was just written most likely hit the wall (and may be cut short). */
const NEAR_FULL_BYTES = 64 * 1024;

/**
 * Whether the file system holding `dir` has (next to) no room left for this process. For writers that do not report a
 * failed write reliably (ffmpeg): an output they say they wrote is only trusted when there was room for all of it.
 * False when it cannot be told (no statfs).
 */
export async function noRoomLeft(dir: string): Promise<boolean> {
  try {
    const st = await fs.statfs(dir);
    return st.bavail * st.bsize < NEAR_FULL_BYTES;
  } catch {
    return false;
  }
}
