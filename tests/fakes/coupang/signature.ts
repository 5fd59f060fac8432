/**
 * Coupang Partners (CEA) HMAC signature, as described in contracts/coupang/signature-test-vectors.json:
 *   message   = signedDate + METHOD + path + query   (query exactly as sent, without '?'; '' when none)
 *   signature = lowercase hex HMAC-SHA256(secretKey, message); the body is never signed
 *   header    = "CEA algorithm=HmacSHA256, access-key=<ak>, signed-date=<yyMMddTHHmmssZ>, signature=<hex>"
 * Test-side implementation used by the coupang fake (and usable by tests to sign requests).
 */
import crypto from 'node:crypto';

/** yyMMdd'T'HHmmss'Z' in UTC: 2025-01-01T00:00:00Z → 250101T000000Z */
export function coupangSignedDate(d: Date = new Date()): string {
  const iso = d.toISOString(); // 2025-01-01T00:00:00.000Z
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** Inverse of coupangSignedDate; undefined when malformed. */
export function parseCoupangSignedDate(s: string): Date | undefined {
  const m = s.match(/^(\d{2})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!m) return undefined;
  const d = new Date(Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function coupangMessage(signedDate: string, method: string, path: string, query: string): string {
  return signedDate + method.toUpperCase() + path + query.replace(/^\?/, '');
}

export function coupangSignature(secretKey: string, signedDate: string, method: string, path: string, query: string): string {
  return crypto.createHmac('sha256', secretKey).update(coupangMessage(signedDate, method, path, query), 'utf8').digest('hex');
}

export interface SignInput {
  accessKey: string;
  secretKey: string;
  method: string;
  path: string;
  /** raw query string as sent, with or without leading '?' */
  query?: string;
  signedDate?: string;
}

export function coupangAuthorization(i: SignInput): string {
  const signedDate = i.signedDate ?? coupangSignedDate();
  const sig = coupangSignature(i.secretKey, signedDate, i.method, i.path, i.query ?? '');
  return `CEA algorithm=HmacSHA256, access-key=${i.accessKey}, signed-date=${signedDate}, signature=${sig}`;
}

export interface ParsedAuthorization {
  algorithm: string;
  accessKey: string;
  signedDate: string;
  signature: string;
}

export function parseCoupangAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header) return undefined;
  const m = header.match(/^CEA\s+(.*)$/);
  if (!m) return undefined;
  const kv: Record<string, string> = {};
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) return undefined;
    kv[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (!kv.algorithm || !kv['access-key'] || !kv['signed-date'] || !kv.signature) return undefined;
  return { algorithm: kv.algorithm, accessKey: kv['access-key'], signedDate: kv['signed-date'], signature: kv.signature };
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'algorithm' | 'access-key' | 'signature' | 'expired' };

/** Verify a request's Authorization header. maxSkewMs = allowed |now - signed-date| (Infinity disables). */
export function verifyCoupangRequest(
  header: string | undefined,
  req: { method: string; path: string; query: string },
  keys: { accessKey: string; secretKey: string },
  now: Date = new Date(),
  maxSkewMs = 5 * 60_000,
): VerifyResult {
  if (!header) return { ok: false, reason: 'missing' };
  const p = parseCoupangAuthorization(header);
  if (!p) return { ok: false, reason: 'malformed' };
  if (p.algorithm !== 'HmacSHA256') return { ok: false, reason: 'algorithm' };
  if (p.accessKey !== keys.accessKey) return { ok: false, reason: 'access-key' };
  const when = parseCoupangSignedDate(p.signedDate);
  if (!when) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(coupangSignature(keys.secretKey, p.signedDate, req.method, req.path, req.query), 'utf8');
  const got = Buffer.from(p.signature, 'utf8');
  if (expected.length !== got.length || !crypto.timingSafeEqual(expected, got)) return { ok: false, reason: 'signature' };
  if (Math.abs(now.getTime() - when.getTime()) > maxSkewMs) return { ok: false, reason: 'expired' };
  return { ok: true };
}
