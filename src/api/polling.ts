/**
 * When to ask FASHN for a prediction's status next.
 *
 * Why this shape: a prediction's duration is known well in advance (FASHN
 * publishes it per model and mode; runs vary by about ±10%), and it is
 * `processing` for most of that time, so a status request long before the end
 * teaches us almost nothing. Polling every second pays ~one request per second
 * and still notices completion ~500 ms late on average. Instead:
 *
 * 1. one early poll (~1 s) to show the real status and catch fast failures
 *    (unloadable image, moderation);
 * 2. one or two sparse polls until the earliest plausible completion;
 * 3. a dense window, every 300 ms from `expected - 10%` to `expected + 10%` (the
 *    first one 300 ms in, as nothing ends earlier), so completion is seen by
 *    FASHN's side of a poll ~150 ms late on median and at most 300 ms;
 * 4. past the window, geometric back-off (each gap half the overrun, ≤ 5 s),
 *    since the run is now unpredictable (queue, slow pipeline).
 *
 * Simulated over the ±10% spread, that is ~3.2 status requests per prediction
 * for tryon performance (polling every second: ~5.5), ~5.2 for balanced (~8.5)
 * and ~6.5 for face-to-model (~12.5). The client sends each poll half a round
 * trip early, so FASHN sees it at the scheduled time.
 *
 * Re-anchoring: a poll that still sees `starting`/`in_queue` proves processing
 * has not begun, so the expected completion moves to at least that moment plus
 * the processing share of the duration.
 *
 * Everything here is pure (times are ms since the prediction was issued), so
 * schedules can be unit-tested and benchmarked without a server.
 */
import type { ModelName, PredictionStatus } from './schemas.js';

/** Inputs that shape a prediction's duration: the try-on `mode`, and for `quality` the image sizes. */
export interface DurationInputs {
  mode?: unknown;
  model_image?: unknown;
  garment_image?: unknown;
}

/** Bytes a remote image URL is assumed to weigh: a typical product or phone photo. */
const TYPICAL_PHOTO_BYTES = 1_500_000;

/** Approximate bytes of an image input: a data: URL by its length, anything else as a typical photo. */
function approximateBytes(image: unknown): number {
  return typeof image === 'string' && image.startsWith('data:')
    ? (image.length * 3) / 4
    : TYPICAL_PHOTO_BYTES;
}

/**
 * Expected duration in ms of a prediction (face-to-model ≈ 12 s; tryon performance 5 s,
 * balanced 8 s, quality ≈ 15 s). FASHN gives quality as 12–17 s depending on the input
 * resolution, so it grows from 12 s to 17 s with the inputs' size (4 MB and up = 17 s).
 * The emulator plays predictions for exactly this long, so client and emulator agree.
 */
export function expectedDurationMs(model: ModelName, inputs?: DurationInputs): number {
  if (model === 'face-to-model') return 12_000;
  switch (inputs?.mode) {
    case 'performance':
      return 5_000;
    case 'quality': {
      const bytes = approximateBytes(inputs.model_image) + approximateBytes(inputs.garment_image);
      return Math.round(12_000 + 5_000 * Math.min(1, bytes / 4_000_000));
    }
    default:
      return 8_000;
  }
}

export interface PollTuning {
  /** First poll, for the status display and early failures. */
  firstPollMs: number;
  /** Gap between polls inside the window around the expected completion. */
  denseIntervalMs: number;
  /** Half-width of that window, as a fraction of the expected duration. */
  spread: number;
  /** Largest gap before the window, as a fraction of the expected duration. */
  sparseGapFraction: number;
  /** Past the window, each gap is this fraction of the overrun... */
  lateGrowth: number;
  /** ...but never longer than this. */
  maxLateGapMs: number;
  /** Share of the expected duration spent `processing` (used when re-anchoring on a late queue). */
  processingShare: number;
}

export const DEFAULT_POLL_TUNING: Readonly<PollTuning> = Object.freeze({
  firstPollMs: 1_000,
  denseIntervalMs: 300,
  spread: 0.1,
  sparseGapFraction: 0.8,
  lateGrowth: 0.5,
  maxLateGapMs: 5_000,
  processingShare: 0.85,
});

/** What the schedule knows: the nominal duration and the (possibly re-anchored) expected completion. */
export interface PollPlan {
  expectedMs: number;
  completionMs: number;
}

/**
 * Delay until the next poll, for a prediction `elapsedMs` after it was issued.
 * Pure. `firstPoll` is true until a status has been seen.
 */
export function pollDelayMs(
  plan: PollPlan,
  elapsedMs: number,
  firstPoll = false,
  tuning: PollTuning = DEFAULT_POLL_TUNING,
): number {
  const dense = tuning.denseIntervalMs;
  const spreadMs = plan.expectedMs * tuning.spread;
  // The first dense poll covers the window's first interval: nothing ends before the window.
  const firstDense = plan.completionMs - spreadMs + dense;
  const windowEnd = plan.completionMs + spreadMs;

  if (firstPoll) {
    // Resuming an older prediction: look at once.
    if (elapsedMs >= tuning.firstPollMs) return 0;
    if (tuning.firstPollMs < firstDense) return tuning.firstPollMs - elapsedMs;
  }
  if (elapsedMs + dense <= firstDense) {
    // Sparse: split the way to the window into equal gaps no longer than the cap.
    const remaining = firstDense - elapsedMs;
    const maxGap = Math.max(dense, plan.expectedMs * tuning.sparseGapFraction);
    return Math.round(remaining / Math.ceil(remaining / maxGap));
  }
  if (elapsedMs < windowEnd) return dense;
  return Math.round(
    Math.min(tuning.maxLateGapMs, Math.max(dense, (elapsedMs - windowEnd) * tuning.lateGrowth)),
  );
}

/**
 * A polling schedule for one prediction: feed it each observed status with
 * `observe`, ask it `nextDelayMs`. Times are ms since the prediction was issued.
 */
export class PollSchedule {
  readonly expectedMs: number;
  readonly tuning: PollTuning;
  #completionMs: number;
  #observed = false;

  constructor(expectedMs: number, tuning: Partial<PollTuning> = {}) {
    this.expectedMs = expectedMs;
    this.tuning = { ...DEFAULT_POLL_TUNING, ...tuning };
    this.#completionMs = expectedMs;
  }

  /** Records a status seen at `elapsedMs`; a late queue pushes the expected completion back. */
  observe(elapsedMs: number, status: PredictionStatus): void {
    this.#observed = true;
    if (status === 'starting' || status === 'in_queue') {
      const earliest = elapsedMs + this.expectedMs * this.tuning.processingShare;
      this.#completionMs = Math.max(this.#completionMs, earliest);
    }
  }

  /** Delay before the next status request. */
  nextDelayMs(elapsedMs: number): number {
    return pollDelayMs(this.#plan(), elapsedMs, !this.#observed, this.tuning);
  }

  /** The gap the schedule would leave after a poll at `elapsedMs` (a long-poll's hold). */
  gapAfter(elapsedMs: number): number {
    return pollDelayMs(this.#plan(), elapsedMs, false, this.tuning);
  }

  /** Expected total duration: the anchored completion, or a bit past now once late. */
  estimatedTotalMs(elapsedMs: number): number {
    if (elapsedMs < this.#completionMs) return this.#completionMs;
    return Math.round(elapsedMs + this.gapAfter(elapsedMs));
  }

  #plan(): PollPlan {
    return { expectedMs: this.expectedMs, completionMs: this.#completionMs };
  }
}

/** The schedule for `model` with these inputs (see `expectedDurationMs`). */
export function createPollSchedule(
  model: ModelName,
  inputs?: DurationInputs,
  tuning?: Partial<PollTuning>,
): PollSchedule {
  return new PollSchedule(expectedDurationMs(model, inputs), tuning);
}
