/**
 * The proxy's options, their defaults, and the checks that turn a typo into a
 * TypeError when the proxy is created rather than a hole when it runs.
 * Shared by the web handler and the Node adapter's fast path.
 */
import { inputSchemas } from '../api/schemas.js';
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES } from './body.js';
import { originPolicy, type OriginPolicy } from './cors.js';
import { hostPolicy, type HostPolicy } from './hosts.js';
import {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  MIN_IDEMPOTENCY_TTL_MS,
  createMemoryIdempotencyStore,
  type IdempotencyStore,
} from './idempotency.js';
import { resolvePolicy, type ResolvedPolicy, type ShopPolicy } from './policy.js';
import {
  DEFAULT_RATE_LIMIT,
  RATE_LIMIT_COSTS,
  type RateLimitConfig,
  type RateLimitStore,
} from './rate-limit.js';
import { createStoreIdempotencyStore } from './store/idempotency.js';
import { createMemoryStore } from './store/memory.js';
import type { ProxyStore } from './store/types.js';
import type { InputSchema } from './validate.js';

export interface FashnProxyOptions extends ShopPolicy {
  /** FASHN API key. Required; it is sent upstream only and never answered or logged. */
  apiKey: string;
  /** FASHN's API base. Default `https://api.fashn.ai/v1`. */
  upstream?: string;
  /**
   * Fetch used for upstream calls. Default `globalThis.fetch` (tests and the demo inject
   * the emulator). The Node adapter uses its own keep-alive HTTP client when this is not set.
   */
  fetch?: typeof fetch;
  /** Models forwarded. Default `['face-to-model', 'tryon-v1.6']`; each needs an input schema. */
  allowModels?: readonly string[];
  /**
   * Browser origins allowed to call the proxy: exact origins, or `'*'` said explicitly.
   * Default: the proxy's own origin only. Requests without `Origin` are served.
   */
  allowOrigins?: readonly string[] | '*';
  /**
   * `Host` names served (DNS-rebinding guard): exact names, or `'*'` for any.
   * Default: loopback names only (`localhost`, `127.0.0.1`, `[::1]`) while
   * `allowOrigins` is not set, any host once it is; else 403 `HostNotAllowed`.
   */
  allowHosts?: readonly string[] | '*';
  /** Largest request body in bytes. Default 10 MiB; above it, 413 `PayloadTooLarge`. */
  maxBodyBytes?: number;
  /** Longest time to receive a request body, in ms. Default 60 000; then 408 `RequestTimeout`. */
  bodyTimeoutMs?: number;
  /** Largest answer accepted from FASHN, in bytes. Default 32 MiB; above it, 502 `BadGateway`. */
  maxUpstreamBytes?: number;
  /**
   * Where `Idempotency-Key` → prediction id is remembered. Default: in `store` when one
   * is given (with Redis: shared by every instance, kept across restarts), else this
   * process's memory (bounded; forgotten on restart).
   */
  idempotencyStore?: IdempotencyStore;
  /** How long a key is remembered, in ms; at least 60 minutes (the resume window). Default 65 minutes. */
  idempotencyTtlMs?: number;
  /**
   * Token bucket per client (see `RATE_LIMIT_COSTS`: run 6, status 1, cancel 1).
   * Default `{ capacity: 60, refillPerSecond: 1 }`; `false` turns it off.
   * A held long-poll counts once, however often the proxy asks FASHN meanwhile.
   */
  rateLimit?: RateLimitConfig | false;
  /** Where buckets live. Default: `store`. */
  rateLimitStore?: RateLimitStore;
  /**
   * What instances share: rate limits, predictions started, webhook tokens, completion
   * fan-out. Default in this process's memory; `createRedisStore` for several instances.
   */
  store?: ProxyStore;
  /**
   * The proxy's public URL as FASHN can reach it (e.g. `https://shop.example/api/fashn`).
   * Set it for webhook mode: every run gets `webhook_url={publicUrl}/webhook/{token}` and
   * held status requests are released by FASHN's callback. Default: none (polling).
   */
  publicUrl?: string;
  /**
   * The rate-limit key of a request. Default: first `X-Forwarded-For` hop, else
   * `CF-Connecting-IP`, else `'anonymous'`. Those headers are only trustworthy
   * when set by your own edge; see `defaultClientKey`.
   */
  clientKey?: (request: Request) => string;
  /** Longest wait for FASHN, headers and body, in ms. Default 30 000; then 504 `UpstreamTimeout`. */
  upstreamTimeoutMs?: number;
  /**
   * Longest hold of a long-poll, `GET …/status/{id}?wait=<ms>`, in ms: a larger `wait`
   * is cut to this. Default 25 000, or 5/6 of `upstreamTimeoutMs` when that is lower;
   * must be below `upstreamTimeoutMs`. `0` answers every status at once (thin forwarder).
   */
  longPollMaxMs?: number;
  /**
   * How often the proxy asks FASHN while it holds a long-poll for a prediction it did not
   * start (started before a restart, or by an instance without a shared store), in ms (at
   * least 100). Default 1000. Predictions it started are polled on their expected duration
   * instead. Requests held for the same prediction share one upstream poll.
   */
  longPollIntervalMs?: number;
  /** Receives one line per request: method, endpoint, model, status, duration. No key, no image data. */
  log?: (line: string) => void;
  /** Clock in ms, for rate limiting, durations and long-poll deadlines. Default `Date.now`. */
  now?: () => number;
  /**
   * Waits `ms` on the same clock as `now`, rejecting when `signal` aborts; used while
   * holding long-polls. Default: `setTimeout`. Benchmarks inject a virtual clock.
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The options checked and completed with defaults. */
export interface ResolvedOptions {
  apiKey: string;
  upstream: string;
  /** The injected fetch, or `globalThis.fetch`; `fetchInjected` says which. */
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  fetchInjected: boolean;
  models: ReadonlyMap<string, InputSchema>;
  origins: OriginPolicy;
  hosts: HostPolicy;
  policy: ResolvedPolicy;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  maxUpstreamBytes: number;
  idempotencyStore: IdempotencyStore;
  idempotencyTtlMs: number;
  rateLimit: RateLimitConfig | false;
  rateLimitStore: RateLimitStore;
  store: ProxyStore;
  publicUrl: string | undefined;
  /** Only when the caller gave one; the default reads headers without building a Request. */
  clientKey: ((request: Request) => string) | undefined;
  upstreamTimeoutMs: number;
  longPollMaxMs: number;
  longPollIntervalMs: number;
  log: ((line: string) => void) | undefined;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

const DEFAULT_UPSTREAM = 'https://api.fashn.ai/v1';
const DEFAULT_MODELS: readonly string[] = ['face-to-model', 'tryon-v1.6'];
const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_UPSTREAM_BYTES = 32 * 1024 * 1024;
const DEFAULT_LONG_POLL_MAX_MS = 25_000;
const DEFAULT_LONG_POLL_INTERVAL_MS = 1_000;
/** Below this, a long-poll would hammer FASHN for no visible gain. */
const MIN_LONG_POLL_INTERVAL_MS = 100;

/** Checks `options` and fills in defaults; throws a TypeError naming the bad option. */
export function resolveOptions(options: FashnProxyOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createFashnProxy: options are required ({ apiKey })');
  }
  const { apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new TypeError(
      'createFashnProxy: apiKey is required (your FASHN API key; keep it on the server)',
    );
  }
  // It goes into a header: visible ASCII only (a pasted newline or space is a config mistake).
  if (!/^[!-~]+$/.test(apiKey)) {
    throw new TypeError('createFashnProxy: apiKey must be printable ASCII without spaces');
  }

  const upstream = (options.upstream ?? DEFAULT_UPSTREAM).replace(/\/+$/, '');
  let upstreamUrl: URL | undefined;
  try {
    upstreamUrl = new URL(upstream);
  } catch {
    upstreamUrl = undefined;
  }
  if (
    !upstreamUrl ||
    !/^https?:$/.test(upstreamUrl.protocol) ||
    upstreamUrl.search ||
    upstreamUrl.hash
  ) {
    throw new TypeError(
      `createFashnProxy: upstream must be an http(s) URL without query, got ${JSON.stringify(upstream)}`,
    );
  }

  const upstreamFetch = options.fetch ?? globalThis.fetch;
  if (typeof upstreamFetch !== 'function') {
    throw new TypeError('createFashnProxy: no fetch available; pass options.fetch');
  }

  const models = new Map<string, InputSchema>();
  for (const name of options.allowModels ?? DEFAULT_MODELS) {
    const schema = (inputSchemas as Record<string, InputSchema | undefined>)[name];
    if (!schema) {
      throw new TypeError(
        `createFashnProxy: allowModels names ${JSON.stringify(name)}, which the proxy cannot validate (known: ${Object.keys(inputSchemas).join(', ')})`,
      );
    }
    models.set(name, schema);
  }

  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  positive('maxBodyBytes', maxBodyBytes);
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  positive('upstreamTimeoutMs', upstreamTimeoutMs);
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  positive('bodyTimeoutMs', bodyTimeoutMs);
  const maxUpstreamBytes = options.maxUpstreamBytes ?? DEFAULT_MAX_UPSTREAM_BYTES;
  positive('maxUpstreamBytes', maxUpstreamBytes);
  const idempotencyTtlMs = options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
  if (typeof idempotencyTtlMs !== 'number' || !(idempotencyTtlMs >= MIN_IDEMPOTENCY_TTL_MS)) {
    throw new TypeError(
      `createFashnProxy: idempotencyTtlMs must be at least ${MIN_IDEMPOTENCY_TTL_MS} (the 60-minute resume window), got ${String(idempotencyTtlMs)}`,
    );
  }

  const longPollMaxMs =
    options.longPollMaxMs ??
    Math.min(DEFAULT_LONG_POLL_MAX_MS, Math.floor((upstreamTimeoutMs * 5) / 6));
  if (
    typeof longPollMaxMs !== 'number' ||
    !Number.isFinite(longPollMaxMs) ||
    longPollMaxMs < 0 ||
    longPollMaxMs >= upstreamTimeoutMs
  ) {
    throw new TypeError(
      `createFashnProxy: longPollMaxMs must be 0 or more and below upstreamTimeoutMs (${upstreamTimeoutMs}), got ${String(longPollMaxMs)}`,
    );
  }
  const longPollIntervalMs = options.longPollIntervalMs ?? DEFAULT_LONG_POLL_INTERVAL_MS;
  positive('longPollIntervalMs', longPollIntervalMs);
  if (longPollIntervalMs < MIN_LONG_POLL_INTERVAL_MS) {
    throw new TypeError(
      `createFashnProxy: longPollIntervalMs must be at least ${MIN_LONG_POLL_INTERVAL_MS}, got ${longPollIntervalMs}`,
    );
  }

  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (rateLimit !== false) {
    positive('rateLimit.capacity', rateLimit.capacity);
    positive('rateLimit.refillPerSecond', rateLimit.refillPerSecond);
    if (rateLimit.capacity < RATE_LIMIT_COSTS.run) {
      throw new TypeError(
        `createFashnProxy: rateLimit.capacity must be at least ${RATE_LIMIT_COSTS.run}, the cost of one run`,
      );
    }
  }

  const now = options.now ?? Date.now;
  const store = options.store ?? createMemoryStore(now);
  return {
    apiKey,
    upstream,
    // Called unbound: some runtimes (Workers) refuse fetch called as another object's method.
    fetch: (input, init) => upstreamFetch(input, init),
    fetchInjected: options.fetch !== undefined,
    models,
    origins: resolveOrigins(options.allowOrigins),
    hosts: guarded('allowHosts', () =>
      hostPolicy(options.allowHosts, options.allowOrigins === undefined),
    ),
    policy: guarded('policy', () => resolvePolicy(options)),
    maxBodyBytes,
    bodyTimeoutMs,
    maxUpstreamBytes,
    // A shared store shares keys too; the memory default keeps its own bounded map.
    idempotencyStore:
      options.idempotencyStore ??
      (options.store ? createStoreIdempotencyStore(options.store) : createMemoryIdempotencyStore()),
    idempotencyTtlMs,
    rateLimit,
    rateLimitStore: options.rateLimitStore ?? store,
    store,
    publicUrl: resolvePublicUrl(options.publicUrl),
    clientKey: options.clientKey,
    upstreamTimeoutMs,
    longPollMaxMs,
    longPollIntervalMs,
    log: options.log,
    now,
    sleep: options.sleep ?? timerSleep,
  };
}

function resolvePublicUrl(publicUrl: string | undefined): string | undefined {
  if (publicUrl === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(publicUrl);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new TypeError(
      `createFashnProxy: publicUrl must be an http(s) URL without query, got ${JSON.stringify(publicUrl)}`,
    );
  }
  return publicUrl.replace(/\/+$/, '');
}

function resolveOrigins(allowOrigins: FashnProxyOptions['allowOrigins']): OriginPolicy {
  try {
    return originPolicy(allowOrigins);
  } catch (error) {
    throw new TypeError(`createFashnProxy: allowOrigins: ${(error as Error).message}`);
  }
}

function guarded<T>(what: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    throw new TypeError(`createFashnProxy: ${(error as Error).message}`, { cause: what });
  }
}

function positive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `createFashnProxy: ${name} must be a positive number, got ${String(value)}`,
    );
  }
}

/** `setTimeout` as a promise that rejects with the signal's reason on abort. */
function timerSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
