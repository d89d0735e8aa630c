/**
 * What the proxy remembers of `Idempotency-Key`s: for each key, whether its run
 * is on its way to FASHN (`pending`), has an id (`started`), or was sent and its
 * answer lost (`unknown`, never sent again). The store is an interface so several
 * instances can share keys; its one atomic step, `claimOrGet`, is a single
 * `SET key value NX PX ttl GET` in Redis. The default keeps keys in this
 * process's memory: a restart forgets them (see the README, "The proxy").
 */

/** A key's state. `fingerprint` is a hash of the run body the key was first used with. */
export type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; since: number }
  | { state: 'started'; fingerprint: string; id: string }
  | { state: 'unknown'; fingerprint: string };

export interface IdempotencyStore {
  /**
   * Atomically: stores `record` under `key` for `ttlMs` when the key is free and
   * resolves `undefined` (the caller owns the key), else resolves the record there.
   */
  claimOrGet(
    key: string,
    record: IdempotencyRecord,
    ttlMs: number,
    now: number,
  ): Promise<IdempotencyRecord | undefined>;
  /** The record under `key`, or `undefined`. */
  get(key: string, now: number): Promise<IdempotencyRecord | undefined>;
  /** Replaces the record under `key` (its owner settling it), for `ttlMs`. */
  set(key: string, record: IdempotencyRecord, ttlMs: number, now: number): Promise<void>;
  /** Frees `key`: nothing was started, so the same key may be sent again. */
  delete(key: string): Promise<void>;
}

/** Keys are kept this long by default: FASHN's 60-minute resume window plus slack for clocks. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 65 * 60_000;
/** The resume window a shared store must cover at least. */
export const MIN_IDEMPOTENCY_TTL_MS = 60 * 60_000;
/** The memory store forgets the oldest keys beyond this many (about 200 bytes each). */
export const DEFAULT_IDEMPOTENCY_MAX_KEYS = 50_000;

/** What a client may send as a key: a UUID or similar, nothing that could steer a store. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

interface Entry {
  record: IdempotencyRecord;
  expiresAt: number;
}

/**
 * The in-memory store: a Map in insertion order, expired keys dropped when met,
 * the oldest dropped beyond `maxKeys` (an attacker sending fresh keys can only
 * push out old ones, never grow memory).
 */
export function createMemoryIdempotencyStore(
  maxKeys: number = DEFAULT_IDEMPOTENCY_MAX_KEYS,
): IdempotencyStore {
  const entries = new Map<string, Entry>();
  const live = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const put = (key: string, record: IdempotencyRecord, ttlMs: number, now: number) => {
    entries.delete(key); // re-inserted last: the newest
    entries.set(key, { record, expiresAt: now + ttlMs });
    while (entries.size > maxKeys) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
  };
  return {
    claimOrGet(key, record, ttlMs, now) {
      const existing = live(key, now);
      if (existing) return Promise.resolve(existing.record);
      put(key, record, ttlMs, now);
      return Promise.resolve(undefined);
    },
    get: (key, now) => Promise.resolve(live(key, now)?.record),
    set(key, record, ttlMs, now) {
      put(key, record, ttlMs, now);
      return Promise.resolve();
    },
    delete(key) {
      entries.delete(key);
      return Promise.resolve();
    },
  };
}

/** A short, stable fingerprint of a run body (SHA-256, hex), to refuse a key reused for another body. */
export async function fingerprintOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
