/**
 * Public types of the FASHN emulator (re-exported by `./index.ts`).
 */
import type { PredictionStatus } from '../api/schemas.js';

export interface EmulatorOptions {
  /** Multiplies every duration: 1 = FASHN's real timings, 0.01 for fast tests. Default 1. */
  speed?: number;
  /** Relative random spread of each prediction's duration (0.1 = ±10%), seeded per prediction. Default 0.1. */
  jitter?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, else 401 UnauthorizedAccess. Default: not required. */
  apiKey?: string;
  /** Clock, injectable for tests. Default Date.now. */
  now?: () => number;
  /** fetch used to load http(s) input images and to deliver webhooks. Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Waits `ms` on the `now` clock (webhook timing). Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Absolute base for output URLs when return_base64 is false (default: derived from the request URL's mount). */
  publicUrl?: string;
  /** Optional limits to emulate 429s: generations per minute (RateLimitExceeded) and predictions in flight (ConcurrencyLimitExceeded). Default: none. */
  rateLimitPerMinute?: number;
  maxConcurrent?: number;
  /** Serve the `…/__control/*` endpoints (reset, faults, log). Default true; switch off on production-like mounts. */
  control?: boolean;
  /**
   * How many finished predictions are kept (with their output images); older ones are
   * forgotten and answer 404 NotFound, like FASHN's untracked predictions. Default 100.
   */
  maxStoredPredictions?: number;
}

/** Endpoint kinds a fault can target. */
export type FaultKind = 'run' | 'status' | 'cancel';

export interface FaultRule {
  /** Which requests: kind of endpoint, and for run the model name. Omitted = any. */
  kind?: FaultKind;
  model?: string;
  /** How many matching requests it applies to (default 1), then it is spent. */
  times?: number;
  /** Answer with this HTTP status/body/headers instead of the normal answer (e.g. 429 {error:'RateLimitExceeded', ...} with Retry-After). */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (ms, not scaled by speed). */
  delayMs?: number;
  /** Drop the connection: the Response promise rejects with a TypeError like fetch's network error. */
  network?: boolean;
  /**
   * Do the work, then drop the connection: a run creates its prediction (FASHN charges
   * for it) but the client never learns its id, like an answer lost on the way back.
   */
  loseAnswer?: boolean;
  /** For kind 'run': the prediction is created normally but ends `failed` with this runtime error. */
  fail?: { name: string; message?: string };
}

export type RequestKind = 'run' | 'status' | 'cancel' | 'output' | 'control' | 'other';

export interface RecordedRequest {
  method: string;
  kind: RequestKind;
  model?: string;
  predictionId?: string;
  at: number;
  /** The request URL's path (no query). */
  path: string;
  /** HTTP status answered; absent while pending and when the connection was dropped. */
  httpStatus?: number;
  /** Whether an injected fault shaped this answer. */
  faulted?: boolean;
}

export interface EmulatedPrediction {
  id: string;
  model: string;
  status: PredictionStatus;
  createdAt: number;
  /** When it reached its final status (completed, failed or canceled), on the emulator's clock. */
  completedAt?: number;
  /** The inputs exactly as the client sent them (the control log shortens data: URLs). */
  inputs: Record<string, unknown>;
  /** The runtime error of a failed prediction. */
  error?: { name: string; message: string };
  /** Number of output images of a completed prediction. */
  outputCount?: number;
}

export interface FashnEmulator {
  /** Routes by the path's ending, so it can be mounted under any prefix: POST …/run, GET …/status/:id, POST or GET …/cancel/:id, GET …/outputs/:id/:file, and the control endpoints. */
  handle(request: Request): Promise<Response>;
  inject(rule: FaultRule | FaultRule[]): void;
  /** Clears predictions, faults, log. Options: the construction options overlaid with these (none = the construction options). */
  reset: (options?: EmulatorOptions) => void;
  readonly requests: readonly RecordedRequest[];
  readonly predictions: ReadonlyMap<string, EmulatedPrediction>;
}
