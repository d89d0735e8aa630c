/**
 * One `Idempotency-Key`, at most one run at FASHN. The first request with a key
 * claims it in the store and sends the run; duplicates in this process join
 * that very call, duplicates elsewhere (another instance, a later retry) read
 * what it became. A run FASHN answered keeps its id for the key's lifetime; a
 * run whose answer was lost after it was sent is `unknown` and never sent again;
 * a run FASHN refused (or that never left) frees the key for a retry.
 */
import type { IdempotencyRecord, IdempotencyStore } from './idempotency.js';

/** What sending one run to FASHN gave, as the caller classifies it. */
export type Sent<A> =
  /** `answer`: FASHN's own, for the request that sent it; absent for the others. */
  | { kind: 'started'; id: string; answer?: A }
  /** Refused by FASHN, or never left: nothing runs, the key is freed. */
  | { kind: 'refused'; answer: A }
  /** Sent, answer lost: FASHN may be running it. */
  | { kind: 'unknown' };

export type RunOnceResult<A> =
  | Sent<A>
  /** The key was first used with another body. */
  | { kind: 'reused' }
  /** A lookup for a key this store does not hold. */
  | { kind: 'not-found' };

export interface RunOnceDeps {
  store: IdempotencyStore;
  ttlMs: number;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** After this long a `pending` key whose owner never settled it counts as `unknown`. */
  pendingLimitMs: number;
  /** How often a key pending at another instance is read again. */
  pollMs?: number;
}

interface Local<A> {
  fingerprint: string;
  result: Promise<Sent<A>>;
}

export function createRunOnce<A>(deps: RunOnceDeps) {
  const { store, ttlMs, now } = deps;
  const pollMs = deps.pollMs ?? 200;
  /** Runs this process is sending, by key: duplicates join them. */
  const inFlight = new Map<string, Local<A>>();

  async function settle(key: string, result: Sent<A>, fingerprint: string): Promise<void> {
    try {
      if (result.kind === 'refused') await store.delete(key);
      else {
        const record: IdempotencyRecord =
          result.kind === 'started'
            ? { state: 'started', fingerprint, id: result.id }
            : { state: 'unknown', fingerprint };
        await store.set(key, record, ttlMs, now());
      }
    } catch {
      // A store that fails after the run was sent cannot undo the run; the answer still goes out.
    }
  }

  /** What a record held elsewhere becomes, waiting while it is pending. */
  async function fromRecord(
    key: string,
    record: IdempotencyRecord,
    signal: AbortSignal,
  ): Promise<Sent<A> | undefined> {
    let current: IdempotencyRecord | undefined = record;
    while (current?.state === 'pending') {
      if (now() - current.since > deps.pendingLimitMs) {
        // Its owner is gone (a crash mid-run): what happened at FASHN cannot be known.
        await store.set(key, { state: 'unknown', fingerprint: current.fingerprint }, ttlMs, now());
        return { kind: 'unknown' };
      }
      await deps.sleep(pollMs, signal);
      current = await store.get(key, now());
    }
    if (current === undefined) return undefined;
    return current.state === 'started' ? { kind: 'started', id: current.id } : { kind: 'unknown' };
  }

  return {
    /**
     * Sends the run under `key` unless it was sent already; `send` is called at
     * most once per key while the key is remembered.
     */
    async run(
      key: string,
      fingerprint: string,
      send: () => Promise<Sent<A>>,
      signal: AbortSignal,
    ): Promise<RunOnceResult<A>> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const local = inFlight.get(key);
        if (local && local.fingerprint !== fingerprint) return { kind: 'reused' };
        const mine: Local<A> = local ?? {
          fingerprint,
          result: (async (): Promise<Sent<A>> => {
            const existing = await store.claimOrGet(
              key,
              { state: 'pending', fingerprint, since: now() },
              ttlMs,
              now(),
            );
            if (existing) {
              if (existing.fingerprint !== fingerprint) throw REUSED;
              const known = await fromRecord(key, existing, signal);
              if (known) return known;
              throw FREED; // its owner was refused and freed it: claim again
            }
            const result = await send();
            await settle(key, result, fingerprint);
            return result;
          })(),
        };
        if (!local) inFlight.set(key, mine);
        try {
          return await mine.result;
        } catch (error) {
          if (error === REUSED) return { kind: 'reused' };
          if (error !== FREED) throw error;
        } finally {
          if (inFlight.get(key) === mine) inFlight.delete(key);
        }
      }
      return { kind: 'unknown' };
    },

    /** What the run under `key` became, without ever sending one. */
    async lookup(key: string, signal: AbortSignal): Promise<RunOnceResult<A>> {
      const local = inFlight.get(key);
      if (local) {
        try {
          return await local.result;
        } catch {
          return { kind: 'not-found' };
        }
      }
      const record = await store.get(key, now());
      if (!record) return { kind: 'not-found' };
      return (await fromRecord(key, record, signal)) ?? { kind: 'not-found' };
    },
  };
}

// Thrown inside the claim to leave it early; compared by identity, never shown.
const REUSED = new Error('key reused');
const FREED = new Error('key freed');
