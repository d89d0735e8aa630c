/**
 * The FASHN emulator: a web-standard `(Request) => Promise<Response>` handler that
 * behaves like FASHN's `/v1` API for `face-to-model` and `tryon-v1.6`, offline.
 *
 * ```ts
 * import { createFashnEmulator } from 'fashn-try-on/emulator';
 * const emulator = createFashnEmulator({ speed: 0.01 }); // 100× faster than FASHN
 * const res = await emulator.handle(new Request('http://emulator/v1/run', {
 *   method: 'POST',
 *   body: JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: dataUrl } }),
 * }));
 * const { id } = await res.json(); // then GET …/status/{id} until `completed`
 * ```
 *
 * - Routes by the path's ending, so it mounts under any prefix: `POST …/run`,
 *   `GET …/status/:id`, `POST|GET …/cancel/:id`, `GET …/outputs/:id/output_N.jpg|png`.
 * - Statuses follow the clock (`now`): `starting` -> `in_queue` -> `processing` ->
 *   `completed` | `failed`, with FASHN's documented durations times `speed`.
 * - Outputs are real images drawn from the inputs: the avatar is a studio portrait
 *   with the face photo as the head; the try-on is the model image with the garment
 *   cut out and fitted to the torso (or legs / whole body per `category`).
 * - Errors have FASHN's two shapes: API-level `{ error, message }` with an HTTP
 *   status, and runtime `{ name, message }` inside a `failed` status.
 * - Tests inject faults with `inject()` or over HTTP: `POST …/__control/faults`
 *   (FaultRule or FaultRule[]), `POST …/__control/reset` (EmulatorOptions overlaid
 *   on the construction options), `GET …/__control/log` (`{ requests, predictions }`).
 *   Control and output endpoints never require the API key; `control: false` hides
 *   the control endpoints.
 *
 * A fault with `network: true` makes `handle()` reject with a TypeError, like
 * fetch's network error; a Node adapter should then destroy the connection.
 * Runs in Node 20+, browsers and Workers-like runtimes (no node:* imports).
 */
import * as z from 'zod/mini';
import {
  describeIssue,
  inputSchemas,
  isModelName,
  PENDING_STATUSES,
  type ModelName,
  type PredictionStatus,
} from '../api/schemas.js';
import { encodeBase64 } from './base64.js';
import { encodeImage, type OutputFormat } from './codec.js';
import { FaultBook, faultRules } from './faults.js';
import { loadInputImage, RuntimeFailure } from './load-image.js';
import { hashString, seededRandom } from './random.js';
import { renderAvatar } from './render-avatar.js';
import { prepareGarment, renderTryon } from './render-tryon.js';
import { expectedDurationMs } from '../api/polling.js';
import { phaseAt, planTimeline, type Timeline } from './timeline.js';
import { deliverWebhook, webhookUrlIn } from './webhook.js';
import type {
  EmulatedPrediction,
  EmulatorOptions,
  FashnEmulator,
  FaultKind,
  FaultRule,
  RecordedRequest,
  RequestKind,
} from './types.js';

export type {
  EmulatedPrediction,
  EmulatorOptions,
  FashnEmulator,
  FaultKind,
  FaultRule,
  RecordedRequest,
  RequestKind,
} from './types.js';

interface ResolvedOptions {
  speed: number;
  jitter: number;
  apiKey?: string;
  now: () => number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  publicUrl?: string;
  rateLimitPerMinute?: number;
  maxConcurrent?: number;
  control: boolean;
  maxStoredPredictions: number;
}

/** EmulatorOptions that can cross HTTP (`POST …/__control/reset`). */
const controlOptions = z.strictObject({
  speed: z.optional(z.number().check(z.minimum(0))),
  jitter: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  apiKey: z.optional(z.string()),
  publicUrl: z.optional(z.string().check(z.regex(/^https?:\/\//, 'must be an http(s) URL'))),
  rateLimitPerMinute: z.optional(z.int().check(z.minimum(1))),
  maxConcurrent: z.optional(z.int().check(z.minimum(1))),
  maxStoredPredictions: z.optional(z.int().check(z.minimum(1))),
});

function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const speed = options.speed ?? 1;
  const jitter = options.jitter ?? 0.1;
  if (!(Number.isFinite(speed) && speed >= 0)) throw new RangeError('speed must be a number ≥ 0');
  if (!(Number.isFinite(jitter) && jitter >= 0 && jitter <= 1))
    throw new RangeError('jitter must be in 0..1');
  return {
    speed,
    jitter,
    apiKey: options.apiKey,
    now: options.now ?? Date.now,
    // Looked up per call, so a fetch patched after creation is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sleep: options.sleep ?? sleep,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    rateLimitPerMinute: options.rateLimitPerMinute,
    maxConcurrent: options.maxConcurrent,
    control: options.control ?? true,
    maxStoredPredictions: options.maxStoredPredictions ?? 100,
  };
}

type Outcome =
  | { ok: true; files: Uint8Array<ArrayBuffer>[]; settledAt: number }
  | { ok: false; error: { name: string; message: string }; settledAt: number };

interface PredictionRecord {
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

interface PredictionState {
  status: PredictionStatus;
  completedAt?: number;
  error?: { name: string; message: string };
}

type Route =
  | { kind: 'run' }
  | { kind: 'status' | 'cancel'; id: string }
  | { kind: 'output'; id: string; file: string }
  | { kind: 'control'; action: 'reset' | 'faults' | 'log' }
  | { kind: 'other' };

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchRoute(pathname: string): Route {
  const control = /\/__control\/(reset|faults|log)\/?$/.exec(pathname);
  if (control) return { kind: 'control', action: control[1] as 'reset' | 'faults' | 'log' };
  const output = /\/outputs\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (output) return { kind: 'output', id: safeDecode(output[1]!), file: safeDecode(output[2]!) };
  const prediction = /\/(status|cancel)\/([^/]+)\/?$/.exec(pathname);
  if (prediction)
    return { kind: prediction[1] as 'status' | 'cancel', id: safeDecode(prediction[2]!) };
  if (/\/run\/?$/.test(pathname)) return { kind: 'run' };
  return { kind: 'other' };
}

/** JSON answer with FASHN's content type. */
function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** API-level refusal in FASHN's shape: `{ error, message }`. */
function apiError(
  status: number,
  error: string,
  message: string,
  headers?: Record<string, string>,
): Response {
  return json({ error, message }, status, headers);
}

const DEFAULT_ERROR_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'UnauthorizedAccess',
  404: 'NotFound',
  429: 'RateLimitExceeded',
};

/** The TypeError an injected network fault rejects with, like fetch's own. */
class EmulatedNetworkError extends TypeError {
  constructor() {
    super('fetch failed', { cause: new Error('connection dropped (injected fault)') });
  }
}

/** Requests kept in the log (the oldest are dropped beyond this). */
const MAX_LOG_ENTRIES = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A FASHN-shaped prediction id, e.g. `8f14e45f-ceea-467f-a8f4-2b1a6e2a3c9d-u1`. */
function newPredictionId(): string {
  // getRandomValues rather than randomUUID: the latter needs a secure context in browsers.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // UUID version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}-u1`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** Creates an emulator. See the module comment for the endpoints and behaviour. */
export function createFashnEmulator(initialOptions: EmulatorOptions = {}): FashnEmulator {
  let options = resolveOptions(initialOptions);
  let predictions = new Map<string, PredictionRecord>();
  let log: RecordedRequest[] = [];
  /** Clock times of created predictions, for `rateLimitPerMinute`. */
  let runTimes: number[] = [];
  const faults = new FaultBook();

  function stateAt(record: PredictionRecord, now: number): PredictionState {
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
  async function settledState(record: PredictionRecord): Promise<PredictionState> {
    const state = stateAt(record, options.now());
    if (
      state.status === 'processing' &&
      !record.outcome &&
      options.now() >= record.timeline.failsAt
    ) {
      await record.work;
      return stateAt(record, options.now());
    }
    return state;
  }

  const isPending = (status: PredictionStatus) => PENDING_STATUSES.includes(status);

  function view(record: PredictionRecord, now: number): EmulatedPrediction {
    const state = stateAt(record, now);
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

  function outputs(record: PredictionRecord): string[] {
    if (!record.outcome?.ok) return [];
    const ext = record.format === 'jpeg' ? 'jpg' : 'png';
    if (!record.base64)
      return record.outcome.files.map((_, i) => `${record.outputBase}/output_${i}.${ext}`);
    record.dataUrls ??= record.outcome.files.map(
      (bytes) => `data:image/${record.format};base64,${encodeBase64(bytes)}`,
    );
    return record.dataUrls;
  }

  function statusBody(record: PredictionRecord, state: PredictionState): Record<string, unknown> {
    switch (state.status) {
      case 'completed':
        return { id: record.id, status: 'completed', output: outputs(record), error: null };
      case 'failed':
        return { id: record.id, status: 'failed', output: null, error: state.error };
      default:
        return { id: record.id, status: state.status, error: null };
    }
  }

  /** Draws and encodes the outputs; every failure becomes the prediction's runtime error. */
  async function produce(record: PredictionRecord, parsed: Record<string, unknown>): Promise<void> {
    // Let the run answer go out before the CPU-heavy drawing starts.
    await sleep(0);
    const fetchImpl = options.fetch;
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
      record.outcome = { ok: true, files, settledAt: options.now() };
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
        settledAt: options.now(),
      };
    }
  }

  /** Forgets the oldest finished predictions beyond `maxStoredPredictions`. */
  function evict(now: number): void {
    let excess = predictions.size - options.maxStoredPredictions;
    for (const [id, record] of predictions) {
      if (excess <= 0) break;
      if (!isPending(stateAt(record, now).status)) {
        predictions.delete(id);
        excess--;
      }
    }
  }

  /** 429 when a configured limit is reached, else undefined. */
  function limitRefusal(now: number): Response | undefined {
    if (options.rateLimitPerMinute !== undefined) {
      runTimes = runTimes.filter((t) => t > now - 60_000);
      if (runTimes.length >= options.rateLimitPerMinute) {
        const seconds = Math.max(1, Math.ceil((runTimes[0]! + 60_000 - now) / 1000));
        return apiError(
          429,
          'RateLimitExceeded',
          `Rate limit of ${options.rateLimitPerMinute} generations per minute exceeded`,
          {
            'retry-after': String(seconds),
          },
        );
      }
    }
    if (options.maxConcurrent !== undefined) {
      const inFlight = [...predictions.values()].filter((r) => isPending(stateAt(r, now).status));
      if (inFlight.length >= options.maxConcurrent) {
        const nextEnd = Math.min(...inFlight.map((r) => r.timeline.endsAt));
        const seconds = Math.max(1, Math.ceil((nextEnd - now) / 1000));
        return apiError(
          429,
          'ConcurrencyLimitExceeded',
          `Concurrency limit of ${options.maxConcurrent} predictions in flight exceeded`,
          {
            'retry-after': String(seconds),
          },
        );
      }
    }
    return undefined;
  }

  type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

  async function readJson(request: Request): Promise<ParsedBody> {
    let text: string;
    try {
      text = await request.text();
    } catch (error) {
      return {
        ok: false,
        message: `The request body could not be read: ${(error as Error).message}`,
      };
    }
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false, message: 'Malformed JSON in the request body' };
    }
  }

  interface ValidRun {
    model: ModelName;
    /** As the client sent them. */
    inputs: Record<string, unknown>;
    /** Validated, with FASHN's defaults applied. */
    values: Record<string, unknown>;
  }

  /** Checks a run body like FASHN: 400 BadRequest naming the problem, else the valid run. */
  function validateRun(body: ParsedBody): ValidRun | Response {
    if (!body.ok) return apiError(400, 'BadRequest', body.message);
    if (!isPlainObject(body.value))
      return apiError(400, 'BadRequest', 'The request body must be a JSON object');
    const { model_name: modelName, inputs } = body.value;
    if (typeof modelName !== 'string')
      return apiError(400, 'BadRequest', 'model_name: required string');
    if (!isModelName(modelName)) {
      return apiError(
        400,
        'BadRequest',
        `Unknown model_name "${modelName}": this emulator runs face-to-model and tryon-v1.6`,
      );
    }
    if (!isPlainObject(inputs)) return apiError(400, 'BadRequest', 'inputs: expected an object');
    const parsed = inputSchemas[modelName].safeParse(inputs);
    if (!parsed.success)
      return apiError(400, 'BadRequest', `Invalid inputs: ${describeIssue(parsed.error)}`);
    return { model: modelName, inputs, values: parsed.data as Record<string, unknown> };
  }

  function createPrediction(
    run: ValidRun,
    url: URL,
    fail: FaultRule['fail'],
    now: number,
  ): PredictionRecord {
    const id = newPredictionId();
    const mount = url.pathname.replace(/\/run\/?$/, '');
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
      outputBase: `${options.publicUrl ?? url.origin + mount}/outputs/${encodeURIComponent(id)}`,
      work: Promise.resolve(),
    };
    if (fail) {
      record.outcome = {
        ok: false,
        error: { name: fail.name, message: fail.message ?? fail.name },
        settledAt: now,
      };
    } else {
      record.work = produce(record, run.values);
    }
    predictions.set(id, record);
    if (options.rateLimitPerMinute !== undefined) runTimes.push(now);
    evict(now);
    return record;
  }

  async function run(
    method: string,
    body: ParsedBody,
    url: URL,
    entry: RecordedRequest,
  ): Promise<Response> {
    if (method !== 'POST') return apiError(404, 'NotFound', `No endpoint ${method} …/run`);
    const valid = validateRun(body);
    if (valid instanceof Response) return valid;
    const webhookUrl = webhookUrlIn(url);
    if (webhookUrl instanceof Error) return apiError(400, 'BadRequest', webhookUrl.message);
    const refusal = limitRefusal(options.now());
    if (refusal) return refusal;
    // `fail` rules are spent only by runs that create a prediction.
    const rule = faults.take({ kind: 'run', model: valid.model }, true);
    if (rule) {
      entry.faulted = true;
      if (rule.delayMs) await sleep(rule.delayMs);
    }
    const record = createPrediction(valid, url, rule?.fail, options.now());
    entry.predictionId = record.id;
    if (webhookUrl) notify(record, webhookUrl);
    // expected_duration_ms: not FASHN's; lets the client's progress estimate follow `speed`.
    const expected = Math.round(expectedDurationMs(valid.model, valid.values) * options.speed);
    const response = json({ id: record.id, error: null, expected_duration_ms: expected });
    return rule?.headers ? withHeaders(response, rule.headers) : response;
  }

  /** FASHN's webhook: the final status POSTed to `url` once the prediction ends. */
  function notify(record: PredictionRecord, url: string): void {
    const { fetch: fetchImpl, sleep: sleepImpl, speed } = options;
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
      msUntilFinal() {
        if (record.abandoned) return undefined;
        const now = options.now();
        const state = stateAt(record, now);
        if (!isPending(state.status) && (settled || state.status === 'canceled')) return undefined;
        const end = record.outcome?.ok === false ? record.timeline.failsAt : record.timeline.endsAt;
        return Math.max(0, end - now);
      },
      finalBody: () => statusBody(record, stateAt(record, options.now())),
    });
  }

  function notFound(id: string): Response {
    return apiError(404, 'NotFound', `Prediction ${id} not found`);
  }

  async function status(id: string): Promise<Response> {
    const record = predictions.get(id);
    if (!record) return notFound(id);
    const state = await settledState(record);
    // FASHN tells what a finished prediction cost (the official SDK reads it as `creditsUsed`).
    const cost: Record<string, string> =
      state.status === 'completed' && record.outcome?.ok
        ? { 'x-fashn-credits-used': String(record.outcome.files.length) }
        : {};
    return json(statusBody(record, state), 200, cost);
  }

  async function cancel(id: string): Promise<Response> {
    const record = predictions.get(id);
    if (!record) return notFound(id);
    const state = await settledState(record);
    if (!isPending(state.status)) return json(statusBody(record, state));
    record.canceledAt = options.now();
    return json({ id, status: 'canceled', error: null });
  }

  async function output(id: string, file: string): Promise<Response> {
    const record = predictions.get(id);
    const match = /^output_(\d+)\.(jpg|png)$/.exec(file);
    if (!record || record.base64 || !match) return apiError(404, 'NotFound', 'Output not found');
    const state = await settledState(record);
    const bytes = record.outcome?.ok ? record.outcome.files[Number(match[1])] : undefined;
    const ext = record.format === 'jpeg' ? 'jpg' : 'png';
    if (state.status !== 'completed' || !bytes || match[2] !== ext) {
      return apiError(404, 'NotFound', 'Output not found');
    }
    return new Response(bytes, {
      headers: {
        'content-type': record.format === 'jpeg' ? 'image/jpeg' : 'image/png',
        'cache-control': 'public, max-age=3600',
        'access-control-allow-origin': '*',
      },
    });
  }

  async function control(action: 'reset' | 'faults' | 'log', request: Request): Promise<Response> {
    const method = request.method;
    if (action === 'log') {
      if (method !== 'GET')
        return apiError(404, 'NotFound', `No endpoint ${method} …/__control/log`);
      const now = options.now();
      return json({
        requests: [...log],
        predictions: [...predictions.values()].map((r) => ({
          ...view(r, now),
          inputs: redactInputs(r.inputs),
        })),
      });
    }
    if (method !== 'POST')
      return apiError(404, 'NotFound', `No endpoint ${method} …/__control/${action}`);
    const text = await request.text();
    let value: unknown;
    try {
      value = text.trim() === '' ? (action === 'reset' ? {} : undefined) : JSON.parse(text);
    } catch {
      return apiError(400, 'BadRequest', 'Malformed JSON in the request body');
    }
    if (action === 'reset') {
      const parsed = controlOptions.safeParse(value);
      if (!parsed.success)
        return apiError(400, 'BadRequest', `Invalid options: ${describeIssue(parsed.error)}`);
      emulator.reset(parsed.data);
      return json({ ok: true });
    }
    const parsed = faultRules.safeParse(value);
    if (!parsed.success)
      return apiError(400, 'BadRequest', `Invalid fault rule: ${describeIssue(parsed.error)}`);
    faults.add(parsed.data as FaultRule | FaultRule[]);
    return json({ ok: true, pending: faults.pending });
  }

  /** The answer an injected rule gives instead of (or on top of) the normal one. */
  async function withFault(
    rule: FaultRule | undefined,
    normal: () => Promise<Response>,
  ): Promise<Response> {
    if (!rule) return normal();
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.network) throw new EmulatedNetworkError();
    const headers = rule.headers ?? {};
    if (rule.status !== undefined || rule.body !== undefined) {
      const status = rule.status ?? 200;
      const body =
        rule.body === undefined
          ? JSON.stringify({
              error:
                DEFAULT_ERROR_NAMES[status] ??
                (status >= 500 ? 'InternalServerError' : 'BadRequest'),
              message: `Injected fault (HTTP ${status})`,
            })
          : typeof rule.body === 'string'
            ? rule.body // sent as is, so a test can answer malformed JSON
            : JSON.stringify(rule.body);
      return new Response(status === 204 || status === 304 ? null : body, {
        status,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
      });
    }
    const response = await normal();
    return Object.keys(headers).length === 0 ? response : withHeaders(response, headers);
  }

  function authorized(request: Request): boolean {
    if (options.apiKey === undefined) return true;
    return request.headers.get('authorization') === `Bearer ${options.apiKey}`;
  }

  async function dispatch(
    request: Request,
    route: Route,
    entry: RecordedRequest,
    url: URL,
  ): Promise<Response> {
    const method = request.method.toUpperCase();
    if (route.kind === 'output')
      return method === 'GET' || method === 'HEAD'
        ? output(route.id, route.file)
        : apiError(404, 'NotFound', 'Output not found');
    if (route.kind === 'control') return control(route.action, request);

    // The API endpoints: the model is known before faults are matched.
    let body: ParsedBody | undefined;
    let model: string | undefined;
    if (route.kind === 'run') {
      body = await readJson(request);
      if (body.ok && isPlainObject(body.value) && typeof body.value.model_name === 'string') {
        model = body.value.model_name;
      }
    } else if (route.kind === 'status' || route.kind === 'cancel') {
      model = predictions.get(route.id)?.model;
    }
    if (model !== undefined) entry.model = model;
    const faultKind: FaultKind | undefined = route.kind === 'other' ? undefined : route.kind;
    const rule = faultKind ? faults.take({ kind: faultKind, model }, false) : undefined;
    if (rule) entry.faulted = true;

    return withFault(rule, async () => {
      if (!authorized(request))
        return apiError(401, 'UnauthorizedAccess', 'Unauthorized: Invalid token');
      switch (route.kind) {
        case 'run':
          return run(method, body!, url, entry);
        case 'status':
          return method === 'GET'
            ? status(route.id)
            : apiError(404, 'NotFound', `No endpoint ${method} …/status`);
        case 'cancel':
          return method === 'POST' || method === 'GET'
            ? cancel(route.id)
            : apiError(404, 'NotFound', `No endpoint ${method} …/cancel`);
        default:
          return apiError(404, 'NotFound', `No endpoint ${method} ${url.pathname}`);
      }
    });
  }

  function withHeaders(response: Response, headers: Record<string, string>): Response {
    const merged = new Headers(response.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return new Response(response.body, { status: response.status, headers: merged });
  }

  const emulator: FashnEmulator = {
    async handle(request) {
      const url = new URL(request.url);
      let route = matchRoute(url.pathname);
      if (route.kind === 'control' && !options.control) route = { kind: 'other' };
      const kind: RequestKind = route.kind;
      const entry: RecordedRequest = {
        method: request.method,
        kind,
        path: url.pathname,
        at: options.now(),
      };
      if ('id' in route) {
        entry.predictionId = route.id;
        const model = predictions.get(route.id)?.model;
        if (model) entry.model = model;
      }
      log.push(entry);
      // A long-running demo polls for hours: keep the newest entries only.
      if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
      try {
        const response = await dispatch(request, route, entry, url);
        entry.httpStatus = response.status;
        return response;
      } catch (error) {
        if (error instanceof EmulatedNetworkError) throw error;
        entry.httpStatus = 500;
        return apiError(500, 'InternalServerError', `Emulator error: ${(error as Error).message}`);
      }
    },
    inject(rule) {
      const parsed = faultRules.safeParse(rule);
      if (!parsed.success)
        throw new TypeError(`Invalid fault rule: ${describeIssue(parsed.error)}`);
      faults.add(rule);
    },
    reset(next) {
      options = resolveOptions(next ? { ...initialOptions, ...next } : initialOptions);
      for (const record of predictions.values()) record.abandoned = true;
      predictions = new Map();
      log = [];
      runTimes = [];
      faults.clear();
    },
    get requests() {
      return [...log];
    },
    get predictions() {
      const now = options.now();
      return new Map([...predictions].map(([id, record]) => [id, view(record, now)]));
    },
  };
  return emulator;
}
