/**
 * When and how long to wait before trying a request again. Pure functions plus
 * an abortable `sleep`, so the client's retry behaviour can be unit-tested with
 * an injected clock and random source.
 */
import { type FashnError } from './errors.js';

/** How the client retries transient failures (network, 5xx, 429 rate/concurrency limits). */
export interface RetryPolicy {
  /** Attempts of one `run` request in total, the first included. */
  runAttempts: number;
  /** Backoff of the first retry before jitter; doubles on each further retry. */
  baseDelayMs: number;
  /** Ceiling of the exponential backoff (before jitter). */
  maxDelayMs: number;
  /** A server's `Retry-After` is honoured up to this long; longer asks are cut to it. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  runAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
});

/**
 * Exponential backoff with full jitter (uniform in `[0, min(max, base * 2^(retry-1))]`),
 * which spreads clients that failed together instead of having them retry in step.
 * `retry` counts from 1 (the first retry).
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'> = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(retry) - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(clamp01(random()) * ceiling);
}

/**
 * Reads a `Retry-After` header: delta-seconds (`"3"`) or an HTTP date. Returns
 * milliseconds from `nowMs`, never negative, or `undefined` when absent or unreadable.
 */
export function parseRetryAfterMs(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its day and month; this keeps `Date.parse` from reading "-3" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Whether a failed request may be sent again unchanged: network failures, 5xx,
 * 408 and 429 except `OutOfCredits`. For status and cancel that is always safe;
 * a run is sent again only when the failure proves nothing started (client.ts).
 */
export function isTransientFailure(
  error: Pick<FashnError, 'code' | 'httpStatus' | 'fashnName'>,
): boolean {
  // A run that may have started is never sent again by itself (see client.ts).
  if (error.fashnName === 'RunOutcomeUnknown') return false;
  if (error.code === 'network') return true;
  const status = error.httpStatus;
  if (status === undefined) return false;
  if (status === 429) return error.fashnName !== 'OutOfCredits';
  return status === 408 || status >= 500;
}

export interface RetryDelayContext {
  policy?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>;
  random?: () => number;
  /**
   * How long a prediction usually takes: `ConcurrencyLimitExceeded` means one of
   * ours must finish first, so retrying sooner would only be refused again.
   */
  concurrencyWaitMs?: number;
}

/**
 * Delay before retry number `retry` (from 1) after `error`. A `Retry-After` is a
 * lower bound (capped by `maxRetryAfterMs`); the jittered backoff applies on top
 * when it is longer. Concurrency refusals wait half to all of a prediction's duration.
 */
export function retryDelayMs(
  error: FashnError,
  retry: number,
  context: RetryDelayContext = {},
): number {
  const policy = context.policy ?? DEFAULT_RETRY_POLICY;
  const random = context.random ?? Math.random;
  let delay = backoffDelayMs(retry, policy, random);
  if (error.fashnName === 'ConcurrencyLimitExceeded' && context.concurrencyWaitMs !== undefined) {
    delay = Math.max(delay, Math.round(context.concurrencyWaitMs * (0.5 + clamp01(random()) / 2)));
  }
  if (error.retryAfterMs !== undefined) {
    delay = Math.max(delay, Math.min(error.retryAfterMs, policy.maxRetryAfterMs));
  }
  return delay;
}

/** Waits `ms`; rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
