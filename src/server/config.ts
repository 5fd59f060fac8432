import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import geminiModels from '@/src/server/integrations/gemini/models.json' with { type: 'json' };

/**
 * Every environment variable the app reads, parsed once. Nothing else in the code reads process.env for settings:
 * a wrong value stops start-up with a message naming the variable and what is expected.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalString.pipe(
  z.url({ message: 'expected an http(s) URL' }).refine((v) => /^https?:\/\//.test(v), 'expected an http(s) URL').optional(),
);

const flag = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return false;
    if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
    ctx.addIssue({ code: 'custom', message: 'expected 1/0 or true/false' });
    return z.NEVER;
  });

const int = (def: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int({ message: 'expected a whole number' })
    .min(min, { message: `expected at least ${min}` })
    .max(max, { message: `expected at most ${max}` })
    .default(def);

const num = (def: number, min = 0) =>
  z.coerce.number({ message: 'expected a number' }).min(min, { message: `expected at least ${min}` }).default(def);

const optionalNum = (min = 0) =>
  z.coerce.number({ message: 'expected a number' }).min(min, { message: `expected at least ${min}` }).optional();

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  EMBEDDED_PG_PORT: z.preprocess(emptyAsUndefined, int(54329, 1024, 65535)),
  PORT: z.preprocess(emptyAsUndefined, int(3000, 1, 65535)),
  /** The interface `npm start` listens on: loopback unless set (0.0.0.0 for every interface, as in the container). */
  HOST: z.preprocess(emptyAsUndefined, z.union([z.ipv4(), z.ipv6(), z.literal('localhost')], { message: 'expected an IP address or localhost' }).default('127.0.0.1')),
  /** Reverse proxies in front of the app whose X-Forwarded-For is believed (src/server/auth/client-ip.ts). */
  TRUST_PROXY_HOPS: z.preprocess(emptyAsUndefined, int(0, 0, 10)),
  APP_ROLE: z.preprocess(emptyAsUndefined, z.enum(['all', 'web', 'worker'], { message: 'expected all, web or worker' }).default('all')),
  WORKER_QUEUES: optionalString,
  ADMIN_EMAIL: optionalString.pipe(z.email({ message: 'expected an e-mail address' }).optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, 'expected at least 8 characters').optional()),
  SESSION_SECRET: optionalString.pipe(z.string().min(16, 'expected at least 16 characters').optional()),
  SESSION_DAYS: z.preprocess(emptyAsUndefined, int(14, 1, 365)),
  API_TOKEN: optionalString.pipe(z.string().min(16, 'expected at least 16 characters').optional()),

  GEMINI_API_KEY: optionalString,
  /** A current model by default (src/server/integrations/gemini/models.json, which also lists shut-down models). */
  GEMINI_MODEL: z.preprocess(emptyAsUndefined, z.string().default(geminiModels.defaultModel)),
  GEMINI_BASE_URL: optionalUrl,
  /**
   * USD per million tokens for every model, replacing the price table in models.json (which prices each call by the
   * model that answered). Unset: the table's prices.
   */
  GEMINI_PRICE_INPUT_PER_MTOK: z.preprocess(emptyAsUndefined, optionalNum()),
  GEMINI_PRICE_AUDIO_INPUT_PER_MTOK: z.preprocess(emptyAsUndefined, optionalNum()),
  GEMINI_PRICE_OUTPUT_PER_MTOK: z.preprocess(emptyAsUndefined, optionalNum()),
  /** Audio sent to Gemini for transcription is cut into pieces this long (inline size and answer length stay bounded). */
  GEMINI_AUDIO_PIECE_SEC: z.preprocess(emptyAsUndefined, int(900, 10, 3600)),

  COUPANG_ACCESS_KEY: optionalString,
  COUPANG_SECRET_KEY: optionalString,
  COUPANG_BASE_URL: z.preprocess(emptyAsUndefined, z.url().default('https://api-gateway.coupang.com')),
  COUPANG_SEARCH_PER_HOUR: z.preprocess(emptyAsUndefined, int(10, 1, 10000)),
  /** Candidates scoring at least this are searched on Coupang automatically (best first); others on request. */
  COUPANG_AUTO_SEARCH_MIN_SCORE: z.preprocess(emptyAsUndefined, int(60, 0, 100)),
  /** Candidates scoring below this are routed to low_score_filtered (PRODUCT.md step 12). */
  REVIEW_MIN_SCORE: z.preprocess(emptyAsUndefined, int(40, 0, 100)),
  /** Frames analysed per recommendation window at most (about 1 fps inside the window). */
  VISUAL_FRAMES_PER_WINDOW: z.preprocess(emptyAsUndefined, int(8, 1, 60)),

  YOUTUBE_API_KEY: optionalString,
  YOUTUBE_DAILY_QUOTA: z.preprocess(emptyAsUndefined, int(10000, 1, 10_000_000)),
  YOUTUBE_SEARCH_DAILY_BUDGET: z.preprocess(emptyAsUndefined, int(90, 0, 10000)),
  GOOGLE_API_ROOT_URL: optionalUrl,
  GOOGLE_SERVICE_ACCOUNT_JSON: optionalString,
  SHEETS_SPREADSHEET_ID: optionalString,
  SHEETS_SYNC_CRON: z.preprocess(emptyAsUndefined, z.string().default('0 * * * *')),
  /** Failure and anomaly checks (each alert goes to Slack at most once a day). */
  ALERTS_CHECK_CRON: z.preprocess(emptyAsUndefined, z.string().default('15 * * * *')),
  /** Sheet (tab) the team keeps its channel list in; read by the import. */
  SHEETS_IMPORT_SHEET: z.preprocess(emptyAsUndefined, z.string().default('채널목록')),
  /** Tabs the export writes (created when missing). */
  SHEETS_CHANNELS_SHEET: z.preprocess(emptyAsUndefined, z.string().default('채널 내보내기')),
  SHEETS_CANDIDATES_SHEET: z.preprocess(emptyAsUndefined, z.string().default('후보 내보내기')),
  YOUTUBE_FEED_BASE_URL: z.preprocess(emptyAsUndefined, z.url().default('https://www.youtube.com')),
  FEED_POLL_CRON: z.preprocess(emptyAsUndefined, z.string().default('0 7 * * *')),
  FEED_MAX_AGE_DAYS: z.preprocess(emptyAsUndefined, int(30, 1, 3650)),
  /** feeds.poll-channel jobs one worker process runs at once (each one channel's feed; mostly waiting on YouTube). */
  FEED_POLL_CONCURRENCY: z.preprocess(emptyAsUndefined, int(16, 1, 64)),
  /** window.visual jobs one worker process runs at once (CPU-bound: default the machine's core count). */
  VISUAL_CONCURRENCY: z.preprocess(emptyAsUndefined, int(os.availableParallelism(), 1, 32)),

  SLACK_WEBHOOK_URL: optionalUrl,
  APP_BASE_URL: optionalUrl,

  MODELS_DIR: optionalString,
  MODELS_BASE_URL: optionalUrl,
  INFER_DEVICE: z.preprocess(emptyAsUndefined, z.enum(['cpu', 'cuda'], { message: 'expected cpu or cuda' }).default('cpu')),
  WHISPER_MODEL: z.preprocess(emptyAsUndefined, z.string().default('onnx-community/whisper-small')),
  /**
   * Which missing models a serving process downloads in the background at start-up: `all` (detector + Whisper, the
   * default), `detector` (YOLOX-Nano only: Whisper is hundreds of MB) or `off`. true/false are accepted for all/off.
   */
  MODELS_AUTO_FETCH: z.preprocess(
    (v) => {
      const s = typeof v === 'string' ? v.trim().toLowerCase() : v;
      if (s === undefined || s === '') return undefined;
      if (['1', 'true', 'yes', 'on'].includes(s as string)) return 'all';
      if (['0', 'false', 'no', 'off', 'none'].includes(s as string)) return 'off';
      return s;
    },
    z.enum(['all', 'detector', 'off'], { message: 'expected all, detector or off (true/false)' }).default('all'),
  ),
  /** A model download that receives no byte for this long is aborted and reported as stalled. */
  MODELS_STALL_TIMEOUT_SEC: z.preprocess(emptyAsUndefined, int(60, 1, 3600)),

  FFMPEG_PATH: optionalString,
  FFPROBE_PATH: optionalString,
  YTDLP_PATH: optionalString,
  MAX_UPLOAD_MB: z.preprocess(emptyAsUndefined, int(2048, 1, 100_000)),
  ALLOW_PRIVATE_URLS: flag,

  /** pg_dump for backups (pg_restore/psql are taken from the same folder); else found on PATH. */
  PG_DUMP_PATH: optionalString,
  TZ: z.preprocess(emptyAsUndefined, z.string().default('Asia/Seoul')),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export type RawConfig = z.infer<typeof envSchema>;
export type Config = ReturnType<typeof deriveConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function deriveConfig(raw: RawConfig) {
  const dataDir = path.resolve(/* turbopackIgnore: true */ raw.DATA_DIR);
  const workerQueues = raw.WORKER_QUEUES
    ? raw.WORKER_QUEUES.split(',').map((s) => s.trim()).filter(Boolean)
    : undefined;
  return {
    ...raw,
    DATA_DIR: dataDir,
    MODELS_DIR: path.resolve(/* turbopackIgnore: true */ raw.MODELS_DIR ?? path.join(dataDir, 'models')),
    MEDIA_DIR: path.join(dataDir, 'media'),
    APP_BASE_URL: (raw.APP_BASE_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ''),
    YOUTUBE_FEED_BASE_URL: raw.YOUTUBE_FEED_BASE_URL.replace(/\/$/, ''),
    workerQueues,
  };
}

/** Parses an environment (process.env by default). Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  return deriveConfig(parsed.data);
}

const g = globalThis as unknown as { __influenceConfig?: Config };

/** The process-wide configuration, parsed on first use. */
export function getConfig(): Config {
  g.__influenceConfig ??= loadConfig();
  return g.__influenceConfig;
}

/** Tests and scripts that change process.env call this so the next getConfig() reparses. */
export function resetConfig(): void {
  g.__influenceConfig = undefined;
}
