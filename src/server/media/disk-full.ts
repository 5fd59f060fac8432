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
