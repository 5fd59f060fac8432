import { getConfig } from '@/src/server/config';

/**
 * Whether a cookie-authenticated write comes from our own origin: scheme, host and port must all match (an http page
 * must not post into the https console). Our origin is the one the request was addressed to (Host, with the scheme a
 * TLS-terminating proxy reports in X-Forwarded-Proto) or APP_BASE_URL's. A missing Origin passes (non-browser
 * clients; the SameSite=Lax cookie already stays off cross-site posts); `null`, an unparsable value or any other
 * origin fails.
 */
export function isSameOrigin(req: Request): boolean {
  const header = req.headers.get('origin');
  if (header === null) return true;
  const origin = originOf(header);
  if (!origin) return false;
  return origin === requestOrigin(req) || origin === originOf(getConfig().APP_BASE_URL);
}

/** `scheme://host[:port]` normalised (default ports dropped, host lower-cased); null for `null` or anything unparsable. */
function originOf(value: string): string | null {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

function requestOrigin(req: Request): string | null {
  const host = req.headers.get('host');
  if (!host) return null;
  const scheme = req.headers.get('x-forwarded-proto')?.split(',')[0].trim() || new URL(req.url).protocol.slice(0, -1);
  return originOf(`${scheme}://${host}`);
}
