/**
 * Long-poll holds: `GET …/status/{id}?wait=N` is answered when the status
 * differs from the first one the proxy saw, or when N ms have passed, while
 * the proxy asks FASHN itself every `intervalMs`. The browser then pays one
 * request (and one rate-limit token) where it would have paid several polls,
 * and learns of completion within about one interval.
 *
 * All requests held for one prediction share one upstream poller, which stops
 * as soon as nobody waits on it (answered, timed out, or disconnected). So
 * however many requests a client holds, FASHN sees at most one status request
 * per pending prediction per interval, and a prediction only becomes pending
 * through a rate-limited run.
 */

export interface StatusWatcherOptions<A> {
  /** Asks FASHN for `id`'s status once; never rejects (failures are answers too). */
  poll: (id: string, signal: AbortSignal) => Promise<A>;
  /** The prediction status an answer reports, or `undefined` when it is not a status (an error). */
  statusOf: (answer: A) => string | undefined;
  intervalMs: number;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface HoldRequest<A> {
  id: string;
  /** The answer already in hand, and the status it reports. */
  first: A;
  firstStatus: string;
  /** When to answer anyway, on the `now` clock. */
  deadline: number;
  /** The client's request: when it aborts, this hold ends (and maybe the poller). */
  signal: AbortSignal;
}

export interface StatusWatcher<A> {
  /**
   * Resolves with the first answer whose status differs from `firstStatus`; or at
   * the deadline, on a failed poll, or on abort, with the latest answer seen.
   */
  hold(request: HoldRequest<A>): Promise<A>;
  /** Predictions being polled right now (for tests and diagnostics). */
  readonly watching: number;
}

interface Waiter<A> {
  firstStatus: string;
  latest: A;
  settle(answer: A): void;
}

interface Watch<A> {
  waiters: Set<Waiter<A>>;
  stop: AbortController;
}

export function createStatusWatcher<A>(options: StatusWatcherOptions<A>): StatusWatcher<A> {
  const { poll, statusOf, intervalMs, now, sleep } = options;
  const watches = new Map<string, Watch<A>>();

  async function pollWhileWatched(id: string, watch: Watch<A>): Promise<void> {
    const { signal } = watch.stop;
    while (!signal.aborted) {
      try {
        await sleep(intervalMs, signal);
      } catch {
        return; // stopped while sleeping
      }
      if (signal.aborted) return;
      let answer: A | undefined;
      try {
        answer = await poll(id, signal);
      } catch {
        answer = undefined; // `poll` should not reject; if it does, it is a failed poll
      }
      if (signal.aborted) return;
      const status = answer === undefined ? undefined : statusOf(answer);
      for (const waiter of [...watch.waiters]) {
        // A failed poll ends the hold with the last good answer; the client asks again.
        if (answer === undefined || status === undefined) waiter.settle(waiter.latest);
        else if (status !== waiter.firstStatus) waiter.settle(answer);
        else waiter.latest = answer;
      }
    }
  }

  function join(id: string, waiter: Waiter<A>): void {
    let watch = watches.get(id);
    if (!watch) {
      watch = { waiters: new Set(), stop: new AbortController() };
      watches.set(id, watch);
      void pollWhileWatched(id, watch);
    }
    watch.waiters.add(waiter);
  }

  function leave(id: string, waiter: Waiter<A>): void {
    const watch = watches.get(id);
    if (!watch?.waiters.delete(waiter) || watch.waiters.size > 0) return;
    watches.delete(id);
    watch.stop.abort();
  }

  return {
    get watching() {
      return watches.size;
    },
    hold({ id, first, firstStatus, deadline, signal }) {
      const remaining = deadline - now();
      if (signal.aborted || remaining <= 0) return Promise.resolve(first);
      return new Promise<A>((resolve) => {
        const timer = new AbortController();
        const onAbort = () => waiter.settle(waiter.latest);
        const waiter: Waiter<A> = {
          firstStatus,
          latest: first,
          settle(answer) {
            if (timer.signal.aborted) return;
            timer.abort();
            signal.removeEventListener('abort', onAbort);
            leave(id, waiter);
            resolve(answer);
          },
        };
        signal.addEventListener('abort', onAbort, { once: true });
        sleep(remaining, timer.signal).then(
          () => waiter.settle(waiter.latest),
          () => undefined, // settled before the deadline
        );
        join(id, waiter);
      });
    },
  };
}
