/**
 * Per-client token buckets for the proxy. The store is an interface so a
 * deployment with several instances can share buckets (Redis, Workers KV,
 * Durable Objects); the default keeps them in this process's memory.
 */

/** What one `take` decided. `retryAfterMs` is 0 when allowed. */
export interface RateLimitDecision {
  allowed: boolean;
  retryAfterMs: number;
}

/**
 * A token-bucket store. `take` removes `cost` tokens from `key`'s bucket when it
 * holds that many (after refilling `refillPerSecond` tokens per elapsed second,
 * up to `capacity`), and otherwise says how long until it will.
 */
export interface RateLimitStore {
  take(
    key: string,
    cost: number,
    capacity: number,
    refillPerSecond: number,
    now: number,
  ): Promise<RateLimitDecision> | RateLimitDecision;
}

/** Bucket size and refill rate, in tokens. */
export interface RateLimitConfig {
  capacity: number;
  refillPerSecond: number;
}

/**
 * Tokens each request kind costs. A run starts a paid prediction, so it costs
 * more; polling a status (or asking whether credits are left) is cheap so a shopper waiting on a prediction is never
 * starved by their own polling (1 poll per second is exactly the default refill).
 */
export const RATE_LIMIT_COSTS = { run: 6, status: 1, cancel: 1, credits: 1 } as const;

/**
 * Default bucket for one shopper: a burst of 60 tokens (10 runs, or a minute
 * of polling), refilled at 1 token per second (a run every 6 s sustained).
 */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { capacity: 60, refillPerSecond: 1 };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Above this many tracked clients, buckets that have refilled completely are dropped. */
const SWEEP_THRESHOLD = 10_000;
/** A sweep that finds every client active forgets the oldest down to this many, so sweeps stay rare. */
const SWEEP_TARGET = 9_000;

/**
 * The in-memory store: one bucket per client key in a Map. Buckets that have
 * refilled to capacity carry no information and are swept once the map grows,
 * so memory stays bounded by the number of recently active clients.
 */
export function createMemoryRateLimitStore(): RateLimitStore {
  const buckets = new Map<string, Bucket>();

  function refilled(bucket: Bucket, capacity: number, refillPerSecond: number, now: number) {
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    return Math.min(capacity, bucket.tokens + elapsedSeconds * refillPerSecond);
  }

  function sweep(capacity: number, refillPerSecond: number, now: number): void {
    for (const [key, bucket] of buckets) {
      if (refilled(bucket, capacity, refillPerSecond, now) >= capacity) buckets.delete(key);
    }
    // Still too many active clients: forget the least recently seen first (Map keeps insertion order).
    for (const key of buckets.keys()) {
      if (buckets.size <= SWEEP_TARGET) break;
      buckets.delete(key);
    }
  }

  return {
    take(key, cost, capacity, refillPerSecond, now) {
      const existing = buckets.get(key);
      const tokens = existing ? refilled(existing, capacity, refillPerSecond, now) : capacity;
      if (existing)
        buckets.delete(key); // re-inserted below, so the Map stays ordered by last use
      else if (buckets.size >= SWEEP_THRESHOLD) sweep(capacity, refillPerSecond, now);

      if (tokens >= cost) {
        buckets.set(key, { tokens: tokens - cost, updatedAt: now });
        return { allowed: true, retryAfterMs: 0 };
      }
      buckets.set(key, { tokens, updatedAt: now });
      return {
        allowed: false,
        retryAfterMs: Math.ceil(((cost - tokens) / refillPerSecond) * 1000),
      };
    },
  };
}

/** Longest client key kept, so a huge forwarded header cannot bloat the store. */
const MAX_CLIENT_KEY_LENGTH = 100;

/**
 * The default client key: the first `X-Forwarded-For` hop, else
 * `CF-Connecting-IP`, else `'anonymous'`.
 *
 * Trust caveat: both headers are only as honest as whatever sits in front of
 * the proxy. A client talking to the proxy directly can write any
 * `X-Forwarded-For` it likes and get a fresh bucket per request. The Node
 * adapter replaces these headers with the socket's address unless
 * `trustProxy` is set; on other platforms, pass a `clientKey` that reads the
 * header your edge guarantees (e.g. `CF-Connecting-IP` on Cloudflare).
 */
export function defaultClientKey(request: Request): string {
  return clientKeyFromHeaders((name) => request.headers.get(name));
}

/** `defaultClientKey` for any header lookup (the Node adapter has no `Request` to give). */
export function clientKeyFromHeaders(header: (name: string) => string | null): string {
  const forwardedFor = header('x-forwarded-for')?.split(',')[0]?.trim();
  const key = forwardedFor || header('cf-connecting-ip')?.trim() || 'anonymous';
  return key.slice(0, MAX_CLIENT_KEY_LENGTH);
}
