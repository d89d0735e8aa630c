/**
 * One piece of work per key at a time (README: several elements and tabs share one
 * face-to-model call). Callers on this page asking for the same key share one
 * promise; tabs of the same origin take turns through a Web Lock, and whoever
 * holds it first looks in the cache again, since the tab before may have just
 * made what it needs.
 */

/** Prefix of the Web Lock names, `fashn-try-on:<key>`. */
export const LOCK_PREFIX = 'fashn-try-on:';

export interface ShareOptions<T> {
  /** This caller's signal: it rejects this caller only; the work is aborted once every caller with a signal has aborted and none without one waits. */
  signal?: AbortSignal;
  /** Looks in the cache once the lock is held; a value found is returned instead of running the work. */
  recheck?: () => Promise<T | undefined>;
  /** Default `navigator.locks` where present; `null`: share within this page only. */
  locks?: LockManager | null;
}

interface Shared {
  promise: Promise<unknown>;
  controller: AbortController;
  /** Callers still waiting for it; 0 only when all of them gave up. */
  callers: number;
}

const inFlight = new Map<string, Shared>();

/** Stops sharing `entry` (finished or abandoned), unless new work already holds its key. */
function forget(key: string, entry: Shared): void {
  if (inFlight.get(key) === entry) inFlight.delete(key);
}

/**
 * Runs `work(signal)` for `key` unless it is running already on this page (then
 * its promise is shared) and, across tabs, inside the lock `fashn-try-on:<key>`
 * after `recheck` found nothing.
 */
export function shareWork<T>(
  key: string,
  work: (signal: AbortSignal) => Promise<T>,
  options: ShareOptions<T> = {},
): Promise<T> {
  const { signal, recheck, locks = globalThis.navigator?.locks } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  let shared = inFlight.get(key);
  if (!shared) {
    const controller = new AbortController();
    const run = async () => (await recheck?.()) ?? work(controller.signal);
    const started = locks
      ? locks.request(LOCK_PREFIX + key, { signal: controller.signal }, run)
      : run();
    const entry: Shared = {
      controller,
      callers: 0,
      promise: started.finally(() => forget(key, entry)),
    };
    inFlight.set(key, (shared = entry));
  }
  const entry = shared;
  entry.callers += 1;
  const result = entry.promise as Promise<T>;
  if (!signal) return result;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      if (--entry.callers > 0) return;
      forget(key, entry);
      entry.controller.abort(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
