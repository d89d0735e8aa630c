/**
 * The emulator's predictions: created from a valid run, their status computed
 * from the clock, their images drawn in the background, the oldest finished
 * ones forgotten. No HTTP here: http.ts turns these answers into Responses.
 */
import {
  describeIssue,
  inputSchemas,
  isModelName,
  PENDING_STATUSES,
  type ModelName,
  type PredictionStatus,
} from '../api/schemas.js';
import { expectedDurationMs } from '../api/polling.js';
import { encodeBase64 } from './base64.js';
import { encodeImage, type OutputFormat } from './codec.js';
import { loadInputImage, RuntimeFailure } from './load-image.js';
import type { ResolvedOptions } from './options.js';
import { hashString, seededRandom } from './random.js';
import { renderAvatar } from './render-avatar.js';
import { prepareGarment, renderTryon } from './render-tryon.js';
import { phaseAt, planTimeline, type Timeline } from './timeline.js';
import type { EmulatedPrediction, FaultRule } from './types.js';
import { deliverWebhook } from './webhook.js';

type Outcome =
  | { ok: true; files: Uint8Array<ArrayBuffer>[]; settledAt: number }
  | { ok: false; error: { name: string; message: string }; settledAt: number };

export interface PredictionRecord {
  id: string;
  model: ModelName;
  /** As the client sent them. */
  inputs: Record<string, unknown>;
  timeline: Timeline;
  format: OutputFormat;
  base64: boolean;
  /** Where URL outputs are served, e.g. `http://host/v1/outputs/{id}`. */
  outputBase: string;
  canceledAt?: number;
  /** Dropped by a reset: nobody will ask for its images. */
  abandoned?: boolean;
  outcome?: Outcome;
  /** Settles (never rejects) when `outcome` is set. */
  work: Promise<void>;
  dataUrls?: string[];
}

export interface PredictionState {
  status: PredictionStatus;
  completedAt?: number;
  error?: { name: string; message: string };
}

/** A run body that passed FASHN's checks. */
export interface ValidRun {
  model: ModelName;
  /** As the client sent them. */
  inputs: Record<string, unknown>;
  /** Validated, with FASHN's defaults applied. */
  values: Record<string, unknown>;
}

/** An API-level refusal, before it becomes an HTTP answer. */
export interface Refusal {
  status: number;
  error: string;
  message: string;
  retryAfterSeconds?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const isPending = (status: PredictionStatus) => PENDING_STATUSES.includes(status);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a parsed run body like FASHN: a refusal naming the problem, else the valid run. */
export function validateRun(value: unknown): ValidRun | Refusal {
  const bad = (message: string): Refusal => ({ status: 400, error: 'BadRequest', message });
  if (!isPlainObject(value)) return bad('The request body must be a JSON object');
  const { model_name: modelName, inputs } = value;
  if (typeof modelName !== 'string') return bad('model_name: required string');
  if (!isModelName(modelName))
    return bad(
      `Unknown model_name "${modelName}": this emulator runs face-to-model and tryon-v1.6`,
    );
  if (!isPlainObject(inputs)) return bad('inputs: expected an object');
  const parsed = inputSchemas[modelName].safeParse(inputs);
  if (!parsed.success) return bad(`Invalid inputs: ${describeIssue(parsed.error)}`);
  return { model: modelName, inputs, values: parsed.data };
}

/** A FASHN-shaped prediction id, e.g. `8f14e45f-ceea-467f-a8f4-2b1a6e2a3c9d-u1`. */
function newPredictionId(): string {
  // getRandomValues rather than randomUUID: the latter needs a secure context in browsers.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // UUID version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}-u1`;
}

/** Inputs for the control log: data: URLs shortened, so the log stays small. */
function redactInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    out[key] =
      typeof value === 'string' && value.startsWith('data:')
        ? `${value.slice(0, value.indexOf(',') + 1)}…(${value.length} chars)`
        : value;
  }
  return out;
}

/** The predictions of one emulator; `options` is read on every call (a reset replaces them). */
export class PredictionBook {
  #records = new Map<string, PredictionRecord>();
  /** Clock times of created predictions, for `rateLimitPerMinute`. */
  #runTimes: number[] = [];

  constructor(private readonly options: () => ResolvedOptions) {}

  get(id: string): PredictionRecord | undefined {
    return this.#records.get(id);
  }

  /** Forgets every prediction; images still being drawn are abandoned. */
  clear(): void {
    for (const record of this.#records.values()) record.abandoned = true;
    this.#records = new Map();
    this.#runTimes = [];
  }

  stateAt(record: PredictionRecord, now: number): PredictionState {
    if (record.canceledAt !== undefined)
      return { status: 'canceled', completedAt: record.canceledAt };
    const failing = record.outcome?.ok === false;
    const phase = phaseAt(record.timeline, now, failing);
    if (phase !== 'due' || !record.outcome)
      return { status: phase === 'due' ? 'processing' : phase };
    const end = failing ? record.timeline.failsAt : record.timeline.endsAt;
    // Never completed before its images exist: a slow render moves completion later.
    const completedAt = Math.max(end, record.outcome.settledAt);
    if (now < completedAt) return { status: 'processing' };
    return record.outcome.ok
      ? { status: 'completed', completedAt }
      : { status: 'failed', completedAt, error: record.outcome.error };
  }

  /** The state now; when its time is up but its images are still being drawn, waits for them. */
  async settledState(record: PredictionRecord): Promise<PredictionState> {
    const { now } = this.options();
    const state = this.stateAt(record, now());
    if (state.status === 'processing' && !record.outcome && now() >= record.timeline.failsAt) {
      await record.work;
      return this.stateAt(record, now());
    }
    return state;
  }

  view(record: PredictionRecord, now: number): EmulatedPrediction {
    const state = this.stateAt(record, now);
    const prediction: EmulatedPrediction = {
      id: record.id,
      model: record.model,
      status: state.status,
      createdAt: record.timeline.createdAt,
      inputs: record.inputs,
    };
    if (state.completedAt !== undefined) prediction.completedAt = state.completedAt;
    if (state.error) prediction.error = state.error;
    if (state.status === 'completed' && record.outcome?.ok)
      prediction.outputCount = record.outcome.files.length;
    return prediction;
  }

  /** Every prediction as the public `predictions` map shows it. */
  views(): Map<string, EmulatedPrediction> {
    const now = this.options().now();
    return new Map([...this.#records].map(([id, record]) => [id, this.view(record, now)]));
  }

  /** Every prediction for the control log: data: URLs shortened. */
  logViews(): EmulatedPrediction[] {
    const now = this.options().now();
    return [...this.#records.values()].map((record) => ({
      ...this.view(record, now),
      inputs: redactInputs(record.inputs),
    }));
  }

  /** FASHN's status body for `state`. */
  statusBody(record: PredictionRecord, state: PredictionState): Record<string, unknown> {
    switch (state.status) {
      case 'completed':
        return { id: record.id, status: 'completed', output: this.#outputs(record), error: null };
      case 'failed':
        return { id: record.id, status: 'failed', output: null, error: state.error };
      default:
        return { id: record.id, status: state.status, error: null };
    }
  }

  /** FASHN's webhook: the final status POSTed to `url` once the prediction ends. */
  notify(record: PredictionRecord, url: string): void {
    const { fetch: fetchImpl, sleep: sleepImpl, speed } = this.options();
    let settled = false;
    void record.work.then(() => (settled = true));
    void deliverWebhook({
      url,
      speed,
      // A reset forgets the prediction: nobody is told about it any more.
      fetch: (input, init) =>
        record.abandoned
          ? Promise.resolve(new Response(null, { status: 204 }))
          : fetchImpl(input, init),
      sleep: sleepImpl,
      msUntilFinal: () => {
        if (record.abandoned) return undefined;
        const now = this.options().now();
        const state = this.stateAt(record, now);
        if (!isPending(state.status) && (settled || state.status === 'canceled')) return undefined;
        const end = record.outcome?.ok === false ? record.timeline.failsAt : record.timeline.endsAt;
        return Math.max(0, end - now);
      },
      finalBody: () => this.statusBody(record, this.stateAt(record, this.options().now())),
    });
  }

  /** Cancels a pending prediction; the body FASHN answers. */
  async cancel(record: PredictionRecord): Promise<Record<string, unknown>> {
    const state = await this.settledState(record);
    if (!isPending(state.status)) return this.statusBody(record, state);
    record.canceledAt = this.options().now();
    return { id: record.id, status: 'canceled', error: null };
  }

  /** The bytes of output `index` with extension `ext`, once completed; else undefined. */
  async outputFile(
    record: PredictionRecord,
    index: number,
    ext: string,
  ): Promise<Uint8Array<ArrayBuffer> | undefined> {
    if (record.base64) return undefined;
    const state = await this.settledState(record);
    const bytes = record.outcome?.ok ? record.outcome.files[index] : undefined;
    if (state.status !== 'completed' || !bytes || ext !== extensionOf(record.format))
      return undefined;
    return bytes;
  }

  /** A 429 refusal when a configured limit is reached, else undefined. */
  limitRefusal(now: number): Refusal | undefined {
    const { rateLimitPerMinute, maxConcurrent } = this.options();
    if (rateLimitPerMinute !== undefined) {
      this.#runTimes = this.#runTimes.filter((t) => t > now - 60_000);
      if (this.#runTimes.length >= rateLimitPerMinute) {
        return {
          status: 429,
          error: 'RateLimitExceeded',
          message: `Rate limit of ${rateLimitPerMinute} generations per minute exceeded`,
          retryAfterSeconds: Math.max(1, Math.ceil((this.#runTimes[0] + 60_000 - now) / 1000)),
        };
      }
    }
    if (maxConcurrent !== undefined) {
      const inFlight = [...this.#records.values()].filter((r) =>
        isPending(this.stateAt(r, now).status),
      );
      if (inFlight.length >= maxConcurrent) {
        const nextEnd = Math.min(...inFlight.map((r) => r.timeline.endsAt));
        return {
          status: 429,
          error: 'ConcurrencyLimitExceeded',
          message: `Concurrency limit of ${maxConcurrent} predictions in flight exceeded`,
          retryAfterSeconds: Math.max(1, Math.ceil((nextEnd - now) / 1000)),
        };
      }
    }
    return undefined;
  }

  /** Creates a prediction; `fail` makes it end failed with that runtime error. */
  create(run: ValidRun, outputRoot: string, fail: FaultRule['fail']): PredictionRecord {
    const options = this.options();
    const now = options.now();
    const id = newPredictionId();
    const record: PredictionRecord = {
      id,
      model: run.model,
      inputs: run.inputs,
      timeline: planTimeline(
        now,
        expectedDurationMs(run.model, run.values),
        options.speed,
        options.jitter,
        seededRandom(hashString(id)),
      ),
      format: run.values.output_format as OutputFormat,
      base64: run.values.return_base64 as boolean,
      outputBase: `${outputRoot}/outputs/${encodeURIComponent(id)}`,
      work: Promise.resolve(),
    };
    if (fail) {
      record.outcome = {
        ok: false,
        error: { name: fail.name, message: fail.message ?? fail.name },
        settledAt: now,
      };
    } else {
      record.work = this.#produce(record, run.values);
    }
    this.#records.set(id, record);
    if (options.rateLimitPerMinute !== undefined) this.#runTimes.push(now);
    this.#evict(now);
    return record;
  }

  #outputs(record: PredictionRecord): string[] {
    if (!record.outcome?.ok) return [];
    const ext = extensionOf(record.format);
    if (!record.base64)
      return record.outcome.files.map((_, i) => `${record.outputBase}/output_${i}.${ext}`);
    record.dataUrls ??= record.outcome.files.map(
      (bytes) => `data:image/${record.format};base64,${encodeBase64(bytes)}`,
    );
    return record.dataUrls;
  }

  /** Forgets the oldest finished predictions beyond `maxStoredPredictions`. */
  #evict(now: number): void {
    let excess = this.#records.size - this.options().maxStoredPredictions;
    for (const [id, record] of this.#records) {
      if (excess <= 0) break;
      if (!isPending(this.stateAt(record, now).status)) {
        this.#records.delete(id);
        excess--;
      }
    }
  }

  /** Draws and encodes the outputs; every failure becomes the prediction's runtime error. */
  async #produce(record: PredictionRecord, parsed: Record<string, unknown>): Promise<void> {
    // Let the run answer go out before the CPU-heavy drawing starts.
    await sleep(0);
    const { fetch: fetchImpl, now } = this.options();
    const unwanted = () => record.canceledAt !== undefined || record.abandoned === true;
    try {
      if (unwanted()) throw new RuntimeFailure('PipelineError', 'Canceled before processing');
      const files: Uint8Array<ArrayBuffer>[] = [];
      if (record.model === 'face-to-model') {
        const face = await loadInputImage(parsed.face_image as string, {
          fetch: fetchImpl,
          label: 'face image',
        });
        const avatar = renderAvatar({
          face,
          aspectRatio: parsed.aspect_ratio as string,
          seed: parsed.seed as number,
          prompt: parsed.prompt as string | undefined,
        });
        files.push(encodeImage(avatar, record.format));
      } else {
        const [model, garment] = await Promise.all([
          loadInputImage(parsed.model_image as string, { fetch: fetchImpl, label: 'model image' }),
          loadInputImage(parsed.garment_image as string, {
            fetch: fetchImpl,
            label: 'garment image',
          }),
        ]);
        const prepared = prepareGarment(
          garment,
          parsed.garment_photo_type as 'auto' | 'flat-lay' | 'model',
        );
        const samples = parsed.num_samples as number;
        for (let sample = 0; sample < samples; sample++) {
          if (sample > 0) await sleep(0); // keep the event loop responsive between samples
          if (unwanted()) throw new RuntimeFailure('PipelineError', 'Canceled while processing');
          const image = renderTryon({
            model,
            garment: prepared,
            category: parsed.category as 'auto' | 'tops' | 'bottoms' | 'one-pieces',
            seed: parsed.seed as number,
            sample,
            samples,
          });
          files.push(encodeImage(image, record.format));
        }
      }
      record.outcome = { ok: true, files, settledAt: now() };
    } catch (error) {
      record.outcome = {
        ok: false,
        error:
          error instanceof RuntimeFailure
            ? { name: error.fashnName, message: error.message }
            : {
                name: 'PipelineError',
                message: `Unexpected error in the emulator: ${(error as Error).message}`,
              },
        settledAt: now(),
      };
    }
  }
}

export function extensionOf(format: OutputFormat): 'jpg' | 'png' {
  return format === 'jpeg' ? 'jpg' : 'png';
}
