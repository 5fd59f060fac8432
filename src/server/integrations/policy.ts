import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import { getDb } from '@/src/server/db';
import { apiUsage } from '@/src/server/db/schema';
import { DomainError, errorMessage } from '@/src/server/errors';
import { log, scrubSecrets } from '@/src/server/logger';
import { IntegrationError, providers, type Provider } from './errors';
import { geminiCallCostUsd } from './gemini/models';

/**
 * The one policy layer every external client goes through: a timeout per attempt, retries with jittered exponential
 * backoff (never sooner than the provider's Retry-After/RetryInfo), a circuit breaker per provider, and one
 * `api_usage` row per attempt (the usage ledger, quota ledger and metrics source).
 *
 *   const out = await callExternal({ provider: 'coupang', operation: 'search', videoId }, (signal) => fetch(url, { signal }));
 *
 * The callback throws `IntegrationError` (see errors.ts) for failed calls; other errors count as permanent (a bug or a
 * response that fails validation) unless they are network errors, which are retried.
 * Breaker state is per process (each web/worker process protects itself); `breakerStates()` shows this process's.
 */

export type CallMeta = {
  provider: Provider;
  operation: string;
  videoId?: number | string | null;
  candidateId?: number | string | null;
  /** Quota units this call costs (YouTube Data units, Coupang calls); recorded on every attempt. */
  units?: number;
};

export type CallOptions<T> = {
  timeoutMs?: number;
  /** Retries after the first attempt (0 = one attempt). */
  retries?: number;
  /**
   * Token/cost accounting for a successful result (e.g. Gemini usageMetadata), written on that attempt's row: `model`
   * is the model that answered (Gemini's modelVersion), which prices the call; `audioInputTokens` is the part of
   * `inputTokens` priced at the audio rate.
   */
  usage?: (result: T) => UsageFigures | undefined;
};

export type UsageFigures = { inputTokens?: number; audioInputTokens?: number; outputTokens?: number; costUsd?: number; model?: string | null };

export type ProviderPolicy = {
  timeoutMs: number;
  retries: number;
  /** Consecutive failed attempts that open the breaker. */
  breakerThreshold: number;
  /** How long the breaker stays open before letting one trial call through. */
  halfOpenAfterMs: number;
  /** First backoff delay; doubles per attempt with decorrelated jitter. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited out in-process: the call fails (retryable) and the job retries later. */
  maxRetryAfterMs: number;
};

const defaults: ProviderPolicy = {
  timeoutMs: 30_000,
  retries: 3,
  breakerThreshold: 5,
  halfOpenAfterMs: 60_000,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  maxRetryAfterMs: 120_000,
};

const providerDefaults: Partial<Record<Provider, Partial<ProviderPolicy>>> = {
  gemini: { timeoutMs: 180_000 },
  media: { timeoutMs: 600_000, retries: 1 },
  youtube_feed: { timeoutMs: 20_000, retries: 2 },
  slack: { timeoutMs: 10_000 },
};

type BreakerEntry = {
  policy: ProviderPolicy;
  breaker: CircuitBreakerPolicy;
  openedAt?: number;
  lastFailure?: string;
};

const g = globalThis as unknown as {
  __influencePolicy?: { entries: Map<Provider, BreakerEntry>; overrides: Map<Provider, Partial<ProviderPolicy>> };
};
const state = (g.__influencePolicy ??= { entries: new Map(), overrides: new Map() });

export function policyFor(provider: Provider): ProviderPolicy {
  return { ...defaults, ...providerDefaults[provider], ...state.overrides.get(provider) };
}

/** Changes a provider's policy (tests, or operators via settings); rebuilds its breaker. */
export function configureProvider(provider: Provider, policy: Partial<ProviderPolicy>): void {
  state.overrides.set(provider, { ...state.overrides.get(provider), ...policy });
  state.entries.delete(provider);
}

/** Tests: forget overrides and breaker state. */
export function resetPolicies(): void {
  state.overrides.clear();
  state.entries.clear();
}

function entryFor(provider: Provider): BreakerEntry {
  let e = state.entries.get(provider);
  if (e) return e;
  const policy = policyFor(provider);
  const breaker = circuitBreaker(handleWhen(countsAgainstProvider), {
    halfOpenAfter: policy.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(policy.breakerThreshold),
  });
  const entry: BreakerEntry = { policy, breaker };
  breaker.onBreak((reason) => {
    entry.openedAt = Date.now();
    entry.lastFailure = 'error' in reason ? scrubSecrets(errorMessage(reason.error)) : 'isolated';
    log.warn({ provider, reason: entry.lastFailure }, 'circuit breaker opened: calls fail fast until the cool-down ends');
  });
  breaker.onReset(() => {
    entry.openedAt = undefined;
    log.info({ provider }, 'circuit breaker closed: provider recovered');
  });
  state.entries.set(provider, entry);
  e = entry;
  return e;
}

/**
 * Failures that say the provider is unhealthy (not our own bad request or a validation bug). A retryable 404 is about
 * one resource (a new channel's feed that YouTube has not published yet), so a run of them must not pause every call.
 */
function countsAgainstProvider(err: Error): boolean {
  if (err instanceof IntegrationError) return err.retryable && err.status !== 404;
  return err instanceof TaskCancelledError || isNetworkError(err);
}

function isNetworkError(err: unknown): boolean {
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'];
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && codes.includes(code)) return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Decorrelated-jitter exponential backoff that never waits less than the failure's Retry-After. */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly inner: IBackoffFactory<IRetryBackoffContext<unknown>>) {}
  next(context: IRetryBackoffContext<unknown>) {
    const base = this.inner.next(context);
    const err = 'error' in context.result ? context.result.error : undefined;
    const floor = err instanceof IntegrationError ? (err.retryAfterMs ?? 0) : 0;
    return {
      duration: Math.max(base.duration, floor),
      next: (ctx: IRetryBackoffContext<unknown>) => new RetryAfterBackoff(base).next(ctx),
    };
  }
}

export type UsageRow = {
  provider: Provider;
  operation: string;
  videoId?: number | string | null;
  candidateId?: number | string | null;
  units?: number;
  inputTokens?: number;
  /** Of inputTokens, the audio ones (priced at the audio rate). */
  audioInputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  /** The model that answered (Gemini's modelVersion). */
  model?: string | null;
  outcome: 'ok' | 'error' | 'rejected';
  httpStatus?: number | null;
  latencyMs?: number | null;
  error?: string | null;
};

const toId = (v: number | string | null | undefined) => (v === undefined || v === null || v === '' ? null : Number(v));

async function writeUsage(row: UsageRow): Promise<void> {
  let db;
  try {
    db = getDb();
  } catch {
    log.debug({ provider: row.provider, operation: row.operation }, 'usage not recorded: database not started');
    return;
  }
  try {
    await db.insert(apiUsage).values({
      provider: row.provider,
      operation: row.operation,
      videoId: toId(row.videoId),
      candidateId: toId(row.candidateId),
      units: Math.max(0, Math.round(row.units ?? 0)),
      inputTokens: Math.max(0, Math.round(row.inputTokens ?? 0)),
      audioInputTokens: Math.max(0, Math.round(row.audioInputTokens ?? 0)),
      outputTokens: Math.max(0, Math.round(row.outputTokens ?? 0)),
      costUsd: String(row.costUsd ?? 0),
      modelVersion: row.model ? row.model.slice(0, 200) : null,
      outcome: row.outcome,
      httpStatus: row.httpStatus ?? null,
      latencyMs: row.latencyMs == null ? null : Math.round(row.latencyMs),
      error: row.error ? scrubSecrets(row.error).slice(0, 500) : null,
    });
  } catch (err) {
    log.error({ err, provider: row.provider, operation: row.operation }, 'could not record api usage');
  }
}

/**
 * Gemini cost in USD from the price table (gemini/models.json) by the answering model (else the configured
 * GEMINI_MODEL), audio tokens at the audio rate; an unknown model costs 0 with one warning.
 */
function geminiCostOf(u: UsageFigures): number {
  return geminiCallCostUsd(u.model, { inputTokens: u.inputTokens ?? 0, audioInputTokens: u.audioInputTokens ?? 0, outputTokens: u.outputTokens ?? 0 });
}

/**
 * Token/cost accounting outside an attempt (e.g. a streamed or batched LLM call whose usage is known later).
 * For Gemini the cost is computed from the price table when not given.
 */
export async function recordUsage(u: Omit<UsageRow, 'outcome'> & { outcome?: UsageRow['outcome'] }): Promise<void> {
  const costUsd = u.costUsd ?? (u.provider === 'gemini' ? geminiCostOf(u) : 0);
  await writeUsage({ ...u, costUsd, outcome: u.outcome ?? 'ok' });
}

function describe(err: unknown, provider: Provider, operation: string, timeoutMs: number): IntegrationError | Error {
  if (err instanceof IntegrationError || err instanceof DomainError) return err;
  if (err instanceof TaskCancelledError) {
    return new IntegrationError(
      { provider, operation, retryable: true, code: 'timeout', cause: err },
      `${provider} ${operation} timed out after ${timeoutMs} ms`,
    );
  }
  if (isNetworkError(err)) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return new IntegrationError(
      { provider, operation, retryable: true, code: 'network', cause: err },
      `${provider} ${operation} could not connect (${cause?.code ?? errorMessage(err)})`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Runs one external call under the provider's policy. The callback receives an AbortSignal that fires on timeout;
 * pass it to fetch/SDK calls. Throws IntegrationError (retryable ones after the retries are spent; `code: 'circuit_open'`
 * without calling when the breaker is open) or the callback's own permanent error.
 */
export async function callExternal<T>(
  meta: CallMeta,
  fn: (signal: AbortSignal) => Promise<T>,
  options: CallOptions<T> = {},
): Promise<T> {
  const { provider, operation } = meta;
  if (!providers.includes(provider)) throw new Error(`unknown provider ${provider}`);
  const entry = entryFor(provider);
  const p = entry.policy;
  const timeoutMs = options.timeoutMs ?? p.timeoutMs;
  const retries = options.retries ?? p.retries;

  const retryPolicy = retry(
    handleWhen((err) => {
      if (err instanceof BrokenCircuitError) return false;
      if (err instanceof IntegrationError) {
        return err.retryable && err.code !== 'circuit_open' && (err.retryAfterMs ?? 0) <= p.maxRetryAfterMs;
      }
      return false;
    }),
    {
      maxAttempts: retries,
      backoff: new RetryAfterBackoff(new ExponentialBackoff({ initialDelay: p.backoffInitialMs, maxDelay: p.backoffMaxMs })),
    },
  );
  const timeoutPolicy = timeout(timeoutMs, TimeoutStrategy.Aggressive);

  return retryPolicy.execute(async ({ attempt }) => {
    const started = performance.now();
    try {
      const result = await entry.breaker.execute(async () => {
        try {
          return await timeoutPolicy.execute(({ signal }) => fn(signal));
        } catch (err) {
          // The callback may reject with its own abort error before the timeout policy reports the timeout
          // (cockatiel also aborts the signal after every attempt, so elapsed time is what tells a timeout apart;
          // a timer may fire up to a millisecond early by the clock, hence the tolerance).
          const timedOut =
            performance.now() - started >= timeoutMs - 1 && !(err instanceof IntegrationError) && !(err instanceof DomainError);
          throw describe(timedOut ? new TaskCancelledError() : err, provider, operation, timeoutMs);
        }
      });
      const usage = options.usage?.(result);
      const costUsd = usage?.costUsd ?? (provider === 'gemini' && usage ? geminiCostOf(usage) : 0);
      await writeUsage({
        ...meta,
        inputTokens: usage?.inputTokens,
        audioInputTokens: usage?.audioInputTokens,
        outputTokens: usage?.outputTokens,
        model: usage?.model,
        costUsd,
        outcome: 'ok',
        latencyMs: Math.round(performance.now() - started),
      });
      return result;
    } catch (raw) {
      if (raw instanceof BrokenCircuitError) {
        const openFor = entry.openedAt ? Math.max(0, entry.openedAt + p.halfOpenAfterMs - Date.now()) : p.halfOpenAfterMs;
        const err = new IntegrationError(
          { provider, operation, retryable: true, retryAfterMs: openFor, code: 'circuit_open' },
          `${provider} is failing (${entry.lastFailure ?? 'repeated errors'}); calls are paused for ${Math.ceil(openFor / 1000)} s`,
        );
        await writeUsage({ ...meta, units: 0, outcome: 'rejected', error: err.message });
        throw err;
      }
      const err = raw as Error;
      await writeUsage({
        ...meta,
        outcome: 'error',
        httpStatus: err instanceof IntegrationError ? (err.status ?? null) : null,
        latencyMs: Math.round(performance.now() - started),
        error: errorMessage(err),
      });
      log.warn(
        { provider, operation, attempt, videoId: meta.videoId, candidateId: meta.candidateId, err: scrubSecrets(errorMessage(err)) },
        'external call failed',
      );
      throw err;
    }
  });
}

export type BreakerState = {
  provider: Provider;
  state: 'closed' | 'open' | 'half_open' | 'isolated';
  openedAt: string | null;
  /** When an open breaker lets the next trial call through. */
  retryAt: string | null;
  lastFailure: string | null;
};

/** This process's breaker per provider (closed for providers not called yet). */
export function breakerStates(): BreakerState[] {
  return providers.map((provider) => {
    const e = state.entries.get(provider);
    if (!e) return { provider, state: 'closed', openedAt: null, retryAt: null, lastFailure: null };
    const s = e.breaker.state;
    const name =
      s === CircuitState.Open ? 'open' : s === CircuitState.HalfOpen ? 'half_open' : s === CircuitState.Isolated ? 'isolated' : 'closed';
    const openedAt = e.openedAt && name !== 'closed' ? e.openedAt : undefined;
    return {
      provider,
      state: name,
      openedAt: openedAt ? new Date(openedAt).toISOString() : null,
      retryAt: openedAt && name === 'open' ? new Date(openedAt + e.policy.halfOpenAfterMs).toISOString() : null,
      lastFailure: name === 'closed' ? null : (e.lastFailure ?? null),
    };
  });
}
