/**
 * Long-poll holds: `GET …/status/{id}?wait=N` is answered when the status
 * differs from the one the client is taken to have seen, or when N ms have
 * passed. Meanwhile the proxy asks FASHN itself, and that is what costs the
 * shop: FASHN limits accounts, so every status request spends the allowance
 * of all shoppers.
 *
 * So the upstream polls follow the prediction's expected duration, the same
 * schedule the browser client uses (`PollSchedule`, src/api/polling.ts):
 * quiet until shortly before the expected end (one or two sparse polls show
 * the queue and catch early failures), dense in the window around it, then
 * backing off. The proxy knows when it started the prediction and with which
 * inputs, so it knows the expected duration; a prediction it did not start
 * (started before a restart, or elsewhere without a shared store) is polled
 * every `intervalMs` as before.
 *
 * One watch per prediction id, shared by every request held for it: one
 * upstream poller, which stops when nobody waits, and the latest answer,
 * which a new hold takes as its starting point instead of asking FASHN again.
 * Answers that arrive otherwise (a client's own status request, FASHN's
 * webhook, another instance's fan-out) are fed in with `observe`/`release`
 * and settle the holds they concern at once. In webhook mode the poller only
 * wakes as a safety net well after the expected end.
 */
import { DEFAULT_POLL_TUNING, PollSchedule, type PollTuning } from '../api/polling.js';
import type { PredictionStatus } from '../api/schemas.js';
import { isFinalStatus } from '../api/models.js';

/** What the proxy knows about a prediction it started. */
export interface PredictionPlan {
  /** When the run was sent, on the watcher's clock. */
  startedAt: number;
  /** FASHN's expected duration for this model and inputs (`expectedDurationMs`). */
  expectedMs: number;
  /** FASHN will call the proxy's webhook on completion; polls are only a safety net. */
  webhook: boolean;
}

export interface StatusWatcherOptions<A> {
  /** Asks FASHN for `id`'s status once; never rejects (failures are answers too). */
  poll: (id: string, signal: AbortSignal) => Promise<A>;
  /** The prediction status an answer reports, or `undefined` when it is not a status (an error). */
  statusOf: (answer: A) => string | undefined;
  /** The plan of a prediction the proxy started, or `undefined` when it is not known. */
  planOf: (id: string) => Promise<PredictionPlan | undefined> | PredictionPlan | undefined;
  /** Poll interval for predictions without a plan. */
  intervalMs: number;
  /** The schedule's shape; default `DEFAULT_POLL_TUNING` (dense every 300 ms within ±10%). */
  tuning?: Partial<PollTuning>;
  /** Webhook mode: the first safety poll comes this long after the window around the expected end. */
  webhookGraceMs?: number;
  /** Told of every final answer this watcher polled (not of ones given to `release`). */
  onFinal?: (id: string, answer: A) => void;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface HoldRequest<A> {
  id: string;
  /** The answer the client is taken to have seen, and the status it reports. */
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
   * the deadline, on a failed poll, on abort or on `close`, with the latest answer seen.
   */
  hold(request: HoldRequest<A>): Promise<A>;
  /** The latest answer known for `id` (pending or final), if any. */
  latest(id: string): A | undefined;
  /** An answer for `id` obtained elsewhere (a client's status request): settles holds it changes. */
  observe(id: string, answer: A): void;
  /** A final answer from outside (webhook, another instance): settles every hold on `id` with it. */
  release(id: string, answer: A): void;
  /** Settles every hold with its latest answer and stops polling (shutdown). Later holds answer at once. */
  close(): void;
  /** Predictions being polled right now (for tests and diagnostics). */
  readonly watching: number;
}

interface Waiter<A> {
  firstStatus: string;
  latest: A;
  settle(answer: A): void;
}

interface Watch<A> {
  id: string;
  waiters: Set<Waiter<A>>;
  latest?: A;
  final: boolean;
  /** When the latest answer was asked for, on the `now` clock. */
  latestAt?: number;
  plan?: PredictionPlan;
  schedule?: PollSchedule;
  /** The running poller's stop switch. */
  poller?: AbortController;
  touchedAt: number;
}

/** Watches kept without waiters (their latest answer saves a request when a client re-asks). */
const MAX_IDLE_WATCHES = 10_000;
/** An idle watch older than this is forgotten. */
const IDLE_WATCH_MS = 10 * 60_000;
const DEFAULT_WEBHOOK_GRACE_MS = 5_000;

export function createStatusWatcher<A>(options: StatusWatcherOptions<A>): StatusWatcher<A> {
  const { poll, statusOf, planOf, intervalMs, now, sleep, onFinal } = options;
  const tuning: PollTuning = { ...DEFAULT_POLL_TUNING, ...options.tuning };
  const webhookGraceMs = options.webhookGraceMs ?? DEFAULT_WEBHOOK_GRACE_MS;
  const watches = new Map<string, Watch<A>>();
  let polling = 0;
  let closed = false;

  function watchFor(id: string): Watch<A> {
    let watch = watches.get(id);
    if (watch) {
      // Re-inserted so the Map stays ordered by last use.
      watches.delete(id);
    } else {
      watch = { id, waiters: new Set(), final: false, touchedAt: now() };
      if (watches.size >= MAX_IDLE_WATCHES) sweep();
    }
    watch.touchedAt = now();
    watches.set(id, watch);
    return watch;
  }

  function sweep(): void {
    const oldest = now() - IDLE_WATCH_MS;
    for (const [id, watch] of watches) {
      if (watch.waiters.size > 0) continue;
      if (watch.touchedAt < oldest || watches.size >= MAX_IDLE_WATCHES) watches.delete(id);
    }
  }

  /** Ms until the next upstream poll of `watch`. */
  function nextPollDelay(watch: Watch<A>): number {
    const { plan, schedule } = watch;
    if (!plan || !schedule) return intervalMs;
    const elapsed = now() - plan.startedAt;
    if (plan.webhook) {
      // FASHN calls back; poll only if it has not, well after the latest plausible end.
      const safetyAt = schedule.expectedMs * (1 + tuning.spread) + webhookGraceMs;
      if (elapsed < safetyAt) return safetyAt - elapsed;
    }
    if (watch.latestAt === undefined) return schedule.nextDelayMs(elapsed);
    const seen = watch.latestAt - plan.startedAt;
    return Math.max(0, seen + schedule.gapAfter(seen) - elapsed);
  }

  /** Records an answer and settles the holds it answers. */
  function record(watch: Watch<A>, answer: A | undefined, final = false, askedAt = now()): void {
    const status = answer === undefined ? undefined : statusOf(answer);
    if (answer !== undefined && status !== undefined) {
      if (watch.final && !final) return; // a late pending answer never replaces a final one
      watch.latest = answer;
      watch.latestAt = askedAt;
      watch.final = final || isFinalStatus(status);
      if (watch.plan) {
        watch.schedule?.observe(askedAt - watch.plan.startedAt, status as PredictionStatus);
      }
    }
    for (const waiter of [...watch.waiters]) {
      // A failed poll ends the hold with the last good answer; the client asks again.
      if (answer === undefined || status === undefined) waiter.settle(waiter.latest);
      else if (status !== waiter.firstStatus) waiter.settle(answer);
      else waiter.latest = answer;
    }
    if (watch.final) stopPoller(watch);
  }

  /** Stops the poller now; a hold that comes later starts a new one. */
  function stopPoller(watch: Watch<A>): void {
    watch.poller?.abort();
    watch.poller = undefined;
  }

  async function pollWhileWatched(watch: Watch<A>): Promise<void> {
    const stop = new AbortController();
    watch.poller = stop;
    polling++;
    const { signal } = stop;
    try {
      if (!watch.plan) {
        const plan = await planOf(watch.id);
        if (plan) {
          watch.plan = plan;
          watch.schedule = new PollSchedule(plan.expectedMs, tuning);
          const status = watch.latest === undefined ? undefined : statusOf(watch.latest);
          if (status !== undefined && watch.latestAt !== undefined) {
            watch.schedule.observe(watch.latestAt - plan.startedAt, status as PredictionStatus);
          }
        }
      }
      while (!signal.aborted && watch.waiters.size > 0 && !watch.final) {
        try {
          await sleep(nextPollDelay(watch), signal);
        } catch {
          return; // stopped while sleeping
        }
        if (signal.aborted) return;
        let answer: A | undefined;
        const askedAt = now();
        try {
          answer = await poll(watch.id, signal);
        } catch {
          answer = undefined; // `poll` should not reject; if it does, it is a failed poll
        }
        if (signal.aborted) return;
        record(watch, answer, false, askedAt);
        if (watch.final && answer !== undefined) onFinal?.(watch.id, answer);
      }
    } finally {
      polling--;
      if (watch.poller === stop) watch.poller = undefined;
    }
  }

  function leave(watch: Watch<A>, waiter: Waiter<A>): void {
    if (!watch.waiters.delete(waiter) || watch.waiters.size > 0) return;
    stopPoller(watch);
  }

  return {
    get watching() {
      return polling;
    },
    latest(id) {
      return watches.get(id)?.latest;
    },
    observe(id, answer) {
      // Someone else's failed request says nothing about the prediction: holds go on.
      if (statusOf(answer) !== undefined) record(watchFor(id), answer);
    },
    release(id, answer) {
      record(watchFor(id), answer, true);
    },
    close() {
      closed = true;
      for (const watch of watches.values()) {
        for (const waiter of [...watch.waiters]) waiter.settle(waiter.latest);
        stopPoller(watch);
      }
    },
    hold({ id, first, firstStatus, deadline, signal }) {
      const remaining = deadline - now();
      if (closed || signal.aborted || remaining <= 0) return Promise.resolve(first);
      const watch = watchFor(id);
      if (watch.final && watch.latest !== undefined) return Promise.resolve(watch.latest);
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
            leave(watch, waiter);
            resolve(answer);
          },
        };
        signal.addEventListener('abort', onAbort, { once: true });
        sleep(remaining, timer.signal).then(
          () => waiter.settle(waiter.latest),
          () => undefined, // settled before the deadline
        );
        watch.waiters.add(waiter);
        if (!watch.poller) void pollWhileWatched(watch);
      });
    },
  };
}
