/**
 * What several proxy instances must share to behave as one: rate-limit
 * buckets, short-lived keys (which prediction belongs to which webhook token,
 * idempotency keys, the last known credits verdict) and a fan-out channel
 * that tells every instance when a prediction has finished.
 *
 * One interface, two implementations: memory (one process, the default) and
 * Redis (`createRedisStore`, any number of instances). Everything is async so
 * a network store fits; every key and value is a string so any store can hold
 * it. `setIfAbsent` is Redis's `SET key value NX PX ttl`, `get` is `GET`: an
 * idempotency store (claim-or-get with TTL) is built from those two.
 */
import type { RateLimitStore } from '../rate-limit.js';

export interface ProxyStore extends RateLimitStore {
  /** Stores `value` under `key` for `ttlMs` only if `key` is absent; `true` when it was stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Stores `value` under `key` for `ttlMs`, replacing any value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** The value under `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /** Sends `message` to every subscriber of `channel`, in every instance (this one included). */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `listener` for each message on `channel` until the returned function is called. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
}
