import pino from 'pino';

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
];

const g = globalThis as unknown as { __influenceLogger?: pino.Logger };

function secretsFromEnv(): string[] {
  const names = ['GEMINI_API_KEY', 'COUPANG_ACCESS_KEY', 'COUPANG_SECRET_KEY', 'YOUTUBE_API_KEY', 'API_TOKEN', 'ADMIN_PASSWORD', 'SESSION_SECRET', 'SLACK_WEBHOOK_URL'];
  return names.map((n) => process.env[n]).filter((v): v is string => !!v && v.length >= 6);
}

/** Replaces any configured secret that slipped into a message or string field (e.g. a URL with ?key=…). */
export function scrubSecrets(text: string, secrets = secretsFromEnv()): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[REDACTED]');
  return out.replace(/([?&](?:key|access_token|token)=)[^&\s"]+/gi, '$1[REDACTED]');
}

export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  const secrets = secretsFromEnv();
  return pino(
    {
      level: process.env.LOG_LEVEL || 'info',
      base: { app: 'influence-item' },
      redact: { paths: redactedPaths, censor: '[REDACTED]' },
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
