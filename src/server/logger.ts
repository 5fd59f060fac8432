import pino from 'pino';
import { isQueryError } from '@/src/server/errors';

/** Keys whose values never reach a log line, wherever they appear in a logged object. */
export const redactedPaths = [
  'password',
  'token',
  'apiKey',
  'key',
  'secret',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.key',
  '*.secret',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'headers["x-goog-api-key"]',
  '*.headers["x-goog-api-key"]',
  'private_key',
  '*.private_key',
  'passwordHash',
  '*.passwordHash',
  'tokenHash',
  '*.tokenHash',
];

const g = globalThis as unknown as { __influenceLogger?: pino.Logger };

function secretsFromEnv(): string[] {
  const names = ['GEMINI_API_KEY', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'YOUTUBE_API_KEY', 'API_TOKEN', 'ADMIN_PASSWORD', 'SESSION_SECRET', 'SLACK_WEBHOOK_URL'];
  const values = names.map((n) => process.env[n]);
  // The service account's private key, should a parse error or request dump echo it.
  try {
    const sa = process.env.GOOGLE_SERVICE_ACCOUNT_JSON;
    if (sa) values.push((JSON.parse(sa) as { private_key?: string }).private_key);
  } catch {
    /* not JSON: config reports it */
  }
  return values.filter((v): v is string => !!v && v.length >= 6);
}

/** Replaces any configured secret that slipped into a message or string field (e.g. a URL with ?key=…). */
export function scrubSecrets(text: string, secrets = secretsFromEnv()): string {
  let out = text;
  for (const s of secrets) {
    // The raw value, its JSON-escaped form (log lines are JSON), and each long line of a multi-line secret (PEM keys).
    const forms = new Set([s, JSON.stringify(s).slice(1, -1)]);
    for (const part of s.split(/\r?\n|\\n/)) if (part.trim().length >= 16) forms.add(part.trim());
    for (const f of forms) out = out.split(f).join('[REDACTED]');
  }
  return out.replace(/([?&](?:key|access_token|token)=)[^&\s"]+/gi, '$1[REDACTED]');
}

/**
 * The `err` serializer: pino's, minus the values of a failed database statement. drizzle puts them in its message
 * ("…\nparams: <values>") and `params`, Postgres in `detail` ("Key (token_hash)=(…) already exists"): password and
 * token hashes, user text. What went wrong stays: the Postgres code, constraint and table, the SQL, the stack.
 */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!(err instanceof Error)) return out;
  const seen = new Set<unknown>();
  for (let e: unknown = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    const at = isQueryError(e) ? e.message.indexOf('\nparams: ') : -1;
    if (at >= 0) {
      const values = (e as Error).message.slice(at);
      for (const key of ['message', 'stack'] as const) {
        if (typeof out[key] === 'string') out[key] = (out[key] as string).split(values).join('\nparams: [REDACTED]');
      }
    }
    const db = e as Error & { code?: unknown; constraint?: unknown; table?: unknown };
    for (const key of ['code', 'constraint', 'table'] as const) if (out[key] === undefined && typeof db[key] === 'string') out[key] = db[key];
  }
  delete out.params;
  delete out.detail;
  return out;
}

export function createLogger(destination?: pino.DestinationStream, level: string = process.env.LOG_LEVEL || 'info'): pino.Logger {
  const secrets = secretsFromEnv();
  return pino(
    {
      level,
      base: { app: 'influence-item' },
      redact: { paths: redactedPaths, censor: '[REDACTED]' },
      serializers: { err: serializeError },
      hooks: {
        streamWrite: (line) => scrubSecrets(line, secrets),
      },
    },
    destination,
  );
}

export function getLogger(): pino.Logger {
  g.__influenceLogger ??= createLogger();
  return g.__influenceLogger;
}

export const log = new Proxy({} as pino.Logger, {
  get: (_t, prop) => {
    const l = getLogger() as unknown as Record<string | symbol, unknown>;
    const v = l[prop];
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(l) : v;
  },
});
