/**
 * When a prediction changes status. FASHN's statuses are computed from the clock,
 * so an injected clock drives the whole sequence in tests.
 */
import type { ModelName } from '../api/schemas.js';

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

/** Approximate bytes of an image input: data: URLs by their length, remote URLs as a typical photo. */
function approximateBytes(value: unknown): number {
  if (typeof value !== 'string') return 0;
  return value.startsWith('data:') ? (value.length * 3) / 4 : 1_500_000;
}

/**
 * FASHN's documented processing time in ms: face-to-model 12 s; tryon-v1.6
 * performance 5 s, balanced 8 s, quality 12–17 s growing with the input size.
 */
export function documentedDurationMs(model: ModelName, inputs: Record<string, unknown>): number {
  if (model === 'face-to-model') return 12_000;
  switch (inputs.mode) {
    case 'performance':
      return 5_000;
    case 'quality': {
      const bytes = approximateBytes(inputs.model_image) + approximateBytes(inputs.garment_image);
      return 12_000 + 5_000 * Math.min(1, bytes / 4_000_000);
    }
    default:
      return 8_000;
  }
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
