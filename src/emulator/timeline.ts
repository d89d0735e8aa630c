/**
 * When a prediction changes status. FASHN's statuses are computed from the clock,
 * so an injected clock drives the whole sequence in tests.
 */

/** Share of the duration spent `starting`, then `in_queue`; the rest is `processing`. */
const STARTING_SHARE = 0.03;
const QUEUE_SHARE = 0.07;
/** A failing prediction fails this far into `processing` (loading inputs comes first). */
const FAIL_SHARE = 0.25;

/** Time stamps (emulator clock, ms) of one prediction's status changes. */
export interface Timeline {
  createdAt: number;
  /** `starting` -> `in_queue`. */
  queuedAt: number;
  /** `in_queue` -> `processing`. */
  processingAt: number;
  /** `processing` -> `completed`. */
  endsAt: number;
  /** `processing` -> `failed`, when it fails. */
  failsAt: number;
}

/**
 * Plans the status changes of a prediction created at `createdAt`.
 * @param speed multiplies the duration; `jitter` spreads it by ±jitter using `random`.
 */
export function planTimeline(
  createdAt: number,
  durationMs: number,
  speed: number,
  jitter: number,
  random: () => number,
): Timeline {
  const spread = 1 + jitter * (random() * 2 - 1);
  const total = Math.max(0, durationMs * speed * spread);
  const processingAt = createdAt + total * (STARTING_SHARE + QUEUE_SHARE);
  return {
    createdAt,
    queuedAt: createdAt + total * STARTING_SHARE,
    processingAt,
    endsAt: createdAt + total,
    failsAt: processingAt + (createdAt + total - processingAt) * FAIL_SHARE,
  };
}

export type Phase = 'starting' | 'in_queue' | 'processing' | 'due';

/** Where the prediction stands at `now`; `due` means its end (or failure, when `failing`) has come. */
export function phaseAt(timeline: Timeline, now: number, failing: boolean): Phase {
  if (now < timeline.queuedAt) return 'starting';
  if (now < timeline.processingAt) return 'in_queue';
  if (now < (failing ? timeline.failsAt : timeline.endsAt)) return 'processing';
  return 'due';
}
