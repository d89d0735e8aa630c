/**
 * `Idempotency-Key`s kept in the proxy's shared store, so every instance on one
 * Redis sees the same keys and a restarted proxy still knows what it sent.
 * `claimOrGet` is `setIfAbsent` (Redis `SET NX PX`), then `get` when the key
 * was taken: the claim itself is atomic, only the read of another's record is a
 * second step. Records are JSON; anything else under the key (a store shared
 * with something careless) is read as `unknown`, so it is never run again.
 */
import type { IdempotencyRecord, IdempotencyStore } from '../idempotency.js';
import { PREDICTION_ID } from '../routes.js';
import type { ProxyStore } from './types.js';

/** Namespace within the store, beside the rate-limit, webhook and credits keys. */
const PREFIX = 'idem:';
/** A key freed between our failed claim and our read is claimed again this often at most. */
const CLAIM_ATTEMPTS = 3;

export function createStoreIdempotencyStore(store: ProxyStore): IdempotencyStore {
  async function read(key: string): Promise<IdempotencyRecord | undefined> {
    const text = await store.get(PREFIX + key);
    return text === undefined ? undefined : parseRecord(text);
  }

  return {
    async claimOrGet(key, record, ttlMs) {
      for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
        if (await store.setIfAbsent(PREFIX + key, JSON.stringify(record), ttlMs)) return undefined;
        const existing = await read(key);
        if (existing) return existing;
        // Its owner freed it (FASHN refused that run) just now: try to claim it again.
      }
      throw new Error(`Idempotency-Key ${key} kept changing hands; nothing was sent.`);
    },
    get: (key) => read(key),
    set: (key, record, ttlMs) => store.set(PREFIX + key, JSON.stringify(record), ttlMs),
    delete: (key) => store.delete(PREFIX + key),
  };
}

/** A stored record, or `unknown` for anything that is not one (safe: never sent again). */
function parseRecord(text: string): IdempotencyRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const fingerprint = typeof v.fingerprint === 'string' ? v.fingerprint : '';
  if (v.state === 'pending' && typeof v.since === 'number' && Number.isFinite(v.since))
    return { state: 'pending', fingerprint, since: v.since };
  if (v.state === 'started' && typeof v.id === 'string' && PREDICTION_ID.test(v.id))
    return { state: 'started', fingerprint, id: v.id };
  return { state: 'unknown', fingerprint };
}
