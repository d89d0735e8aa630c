/**
 * The FASHN client: `run`, `status`, `cancel` and `predict` (run, then poll to
 * the end) against the proxy protocol, which mirrors FASHN's `/v1` API. DOM-free,
 * shared by the element (through the proxy) and Node (through the proxy or,
 * with `headers`, FASHN itself). It reads no environment: a key only ever
 * arrives through `headers`, and no message carries request headers.
 */
import { raceAbort } from './abort.js';
import { FashnError, canceledError, codeForApiError } from './errors.js';
import {
  describeIssue,
  readExpectedMs,
  readRefusal,
  readRunId,
  readStatus,
  type StatusResponse,
} from './answers.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  RUN_OUTCOME_UNKNOWN,
  advertisesIdempotency,
  newIdempotencyKey,
} from './idempotency.js';
import { isFinalStatus, type ModelName } from './models.js';
import type { ModelInputs } from './schemas.js';
import {
  DEFAULT_RETRY_POLICY,
  isTransientFailure,
  parseRetryAfterMs,
  retryDelayMs,
  sleep as timerSleep,
  type RetryPolicy,
} from './retry.js';
import {
  PollSchedule,
  expectedDurationMs,
  type DurationInputs,
  type PollTuning,
} from './polling.js';

export { expectedDurationMs };

/** Overall limit of one `predict` call unless `timeoutMs` says otherwise. */
export const DEFAULT_PREDICT_TIMEOUT_MS = 5 * 60_000;

export interface FashnClientOptions {
  /** Base URL of the proxy (or FASHN itself on a server): requests go to `${baseUrl}/run`, `/status/{id}`, `/cancel/{id}`. Relative URLs are allowed in the browser. */
  baseUrl: string;
  /** Default `globalThis.fetch`, looked up at each call. */
  fetch?: typeof fetch;
  /** Merged into every request (headers, credentials). Its `signal` is ignored: pass one per call. */
  requestInit?: RequestInit;
  /** Extra headers, e.g. `Authorization` on a server; never used by the element. */
  headers?: Record<string, string>;
  /** Clock in ms, default `Date.now`. */
  now?: () => number;
  /** Default: setTimeout-based, rejects with the signal's reason on abort. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source, default `Math.random`. */
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  /**
   * Send `?wait=<ms>` with status requests so a proxy that supports it can hold them
   * (default false). While answers come back held, `predict` re-asks at once; an early
   * answer with the status unchanged (a proxy that does not hold) returns that
   * prediction to the normal schedule.
   */
  longPoll?: boolean;
  /** With `longPoll`, the `wait` asked for while the proxy holds (default 25 000, the proxy's cap). */
  longPollWaitMs?: number;
  /** Adjusts the polling schedule (see polling.ts); for benchmarks. */
  pollTuning?: Partial<PollTuning>;
  /**
   * `FashnClient` only: schemas to check inputs with before a run is sent (e.g. `inputSchemas`
   * from schemas.ts): refused inputs and models without a schema throw
   * `bad-request` without any request. Default: none (the proxy validates;
   * the element builds its inputs from checked attributes).
   */
  validate?: InputValidators;
}

/** What `validate` needs of a schema: zod's `safeParse`. */
export interface InputValidator {
  safeParse(value: unknown):
    | { success: true }
    | {
        success: false;
        error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> };
      };
}

export type InputValidators = Partial<Record<ModelName, InputValidator>>;

export interface PredictProgress {
  status: 'starting' | 'in_queue' | 'processing' | 'retrying';
  predictionId?: string;
  /** Since the prediction started (`startedAt` when resuming). */
  elapsedMs: number;
  /** Expected total duration, re-estimated when late. */
  estimatedMs: number;
  /** With `retrying`: which retry this is (1 = the first) of the request that failed. */
  attempt?: number;
  /** With `retrying`: how long until it is sent again. */
  retryInMs?: number;
  /** With `retrying`: the failure being retried. */
  error?: FashnError;
}

export interface PredictOptions {
  signal?: AbortSignal;
  /** Overall, counted from the call, default 5 minutes → FashnError 'timeout'. */
  timeoutMs?: number;
  onProgress?: (progress: PredictProgress) => void;
  /** Called once FASHN has issued the id, before the first status poll (the element records it for resume). May be async; awaited. Not called for `resumeId`. */
  onPredictionId?: (id: string) => void | Promise<void>;
  /** Resume: poll this existing id instead of POSTing run. */
  resumeId?: string;
  /**
   * The logical run's `Idempotency-Key` (default: a new one per call). Keep it with
   * whatever records the run, so a retry or a reload names the same run.
   */
  idempotencyKey?: string;
  /**
   * Resume a run whose answer was never read (a reload while `run` was in flight):
   * asks the proxy what became of this key (`GET …/run`) and polls that id. Never
   * POSTs run; a key the proxy does not know fails with `RunOutcomeUnknown`.
   */
  resumeKey?: string;
  /** When resuming: when the prediction started (ms since epoch), for elapsed/estimates. */
  startedAt?: number;
  /**
   * False when `inputs` cannot be sent again (a resumed run whose photo is gone):
   * then nothing POSTs run, not even FASHN's one rerun after a `PipelineError`.
   */
  rerunnable?: boolean;
}

export interface PredictResult {
  id: string;
  output: string[];
  durationMs: number;
}

export interface StatusOptions {
  signal?: AbortSignal;
  /** Long-poll hint, sent as `?wait=` only when the client has `longPoll: true`. */
  waitMs?: number;
}

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Told before a failed request is sent again: which retry, in how long, after what. */
type OnRetry = (retry: { attempt: number; retryInMs: number; error: FashnError }) => void;

/** A run request's answer: the id, when the answered attempt left, the duration it announced. */
interface SentRun {
  id: string;
  sentAt: number;
  expectedMs: number | undefined;
}

/** Marks the internal abort of a `predict` that ran out of time. */
const TIMED_OUT = Symbol('timed out');

/** An unchanged status that took this long was held: no plain round trip to FASHN is slower. */
const HELD_MS = 1_000;

/** A body that could not be read as JSON. */
const NOT_JSON = Symbol('not JSON');

/**
 * What the element needs of the protocol: `predict` (run, then poll to the end),
 * `status` and `cancel`. `FashnClient` adds `run` on its own and input checks
 * (`validate`), for servers and scripts; the element's bundle carries neither.
 */
export class FashnPredictClient {
  readonly #baseUrl: string;
  readonly #fetchImpl: typeof fetch;
  readonly #requestInit: RequestInit;
  readonly #headers: Record<string, string>;
  readonly #now: () => number;
  readonly #sleepImpl: Sleep;
  readonly #random: () => number;
  readonly #retryPolicy: RetryPolicy;
  readonly #longPoll: boolean;
  readonly #longPollWaitMs: number;
  readonly #pollTuning: Partial<PollTuning> | undefined;

  constructor(options: FashnClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#requestInit = options.requestInit ?? {};
    this.#headers = options.headers ?? {};
    this.#now = options.now ?? Date.now;
    this.#sleepImpl = options.sleep ?? timerSleep;
    this.#random = options.random ?? Math.random;
    this.#retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#longPoll = options.longPoll ?? false;
    this.#longPollWaitMs = options.longPollWaitMs ?? 25_000;
    this.#pollTuning = options.pollTuning;
  }

  /**
   * `GET /status/{id}`: one request, parsed (`images` is read as `output`).
   * Throws FashnError; a 404 (the prediction is no longer tracked) is
   * `bad-request` with `predictionId`, retriable since a new run can succeed.
   */
  async status(id: string, options: StatusOptions = {}): Promise<StatusResponse> {
    const wait =
      this.#longPoll && options.waitMs !== undefined && options.waitMs > 0
        ? `?wait=${Math.round(options.waitMs)}`
        : '';
    let body: unknown;
    try {
      body = await this.#send(
        `/status/${encodeURIComponent(id)}${wait}`,
        'GET',
        undefined,
        options.signal,
        id,
      );
    } catch (error) {
      if (error instanceof FashnError && error.httpStatus === 404) {
        throw new FashnError({
          code: 'bad-request',
          message: `Prediction ${id} is no longer tracked (404); run it again`,
          predictionId: id,
          httpStatus: 404,
          fashnName: error.fashnName,
          retriable: true,
          cause: error,
        });
      }
      throw this.abortedAs(error, options.signal, id);
    }
    const status = readStatus(body);
    if (typeof status === 'string') throw failedAnswer(200, undefined, status, id);
    return status;
  }

  /** `POST /cancel/{id}`: best effort, never throws. */
  async cancel(id: string): Promise<void> {
    try {
      const response = await this.#fetch(`/cancel/${encodeURIComponent(id)}`, 'POST');
      await response.body?.cancel();
    } catch {
      // Best effort: the prediction ends on its own anyway.
    }
  }

  /**
   * Runs `model` and polls until it ends. Resolves with the outputs; rejects with
   * FashnError: `prediction-failed` (FASHN's `fashnName`), `canceled` (the signal,
   * or someone else), `timeout`, or the API-level code. A `PipelineError` is run
   * again once. On abort or timeout, cancel is sent for the prediction in flight.
   */
  async predict<M extends ModelName>(
    model: M,
    inputs: ModelInputs[M],
    options: PredictOptions = {},
  ): Promise<PredictResult> {
    const calledAt = this.#now();
    const startedAt = options.startedAt ?? calledAt;
    const timeoutMs = options.timeoutMs ?? DEFAULT_PREDICT_TIMEOUT_MS;
    const deadline = calledAt + timeoutMs;
    const modeInputs = inputs as DurationInputs;
    // FASHN's documented duration, or what the run answer says (the emulator at its speed).
    let expectedMs = expectedDurationMs(model, modeInputs);

    // One internal signal for everything awaited below: the caller's abort or the timeout.
    const controller = new AbortController();
    const signal = controller.signal;
    const onCallerAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const watchdog = new AbortController();
    if (options.signal?.aborted) controller.abort(options.signal.reason);
    else
      this.#sleepImpl(timeoutMs, watchdog.signal).then(
        () => controller.abort(TIMED_OUT),
        () => undefined,
      );

    const report = (progress: PredictProgress) => options.onProgress?.(progress);
    let id: string | undefined;
    let pending = false; // an id exists whose prediction has not ended
    let pipelineReruns = 0;
    const logicalKey = options.idempotencyKey ?? newIdempotencyKey();

    try {
      if (signal.aborted) throw signal.reason;
      let resumeId = options.resumeId;
      if (resumeId === undefined && options.resumeKey !== undefined) {
        ({ id: resumeId } = await this.sendRun(
          model,
          inputs,
          signal,
          options.resumeKey,
          deadline,
          undefined,
          true,
        ));
      }
      for (;;) {
        let issuedAt: number;
        // Half a round trip: how long after sending a request FASHN sees it.
        let oneWayMs = 0;
        if (resumeId !== undefined) {
          id = resumeId;
          resumeId = undefined;
          issuedAt = startedAt;
          pending = true;
        } else {
          const elapsedMs = this.#now() - startedAt;
          report({ status: 'starting', elapsedMs, estimatedMs: elapsedMs + expectedMs });
          let sentAt: number;
          // FASHN's own rerun after a PipelineError is another run: another key.
          const key = pipelineReruns === 0 ? logicalKey : `${logicalKey}-rerun${pipelineReruns}`;
          let answeredMs: number | undefined;
          ({
            id,
            sentAt,
            expectedMs: answeredMs,
          } = await this.sendRun(model, inputs, signal, key, deadline, (retry) =>
            report({
              status: 'retrying',
              ...retry,
              elapsedMs: this.#now() - startedAt,
              estimatedMs: this.#now() - startedAt + retry.retryInMs + expectedMs,
            }),
          ));
          pending = true;
          expectedMs = answeredMs ?? expectedMs;
          // FASHN's clock started somewhere during the request; its midpoint is the best guess.
          oneWayMs = (this.#now() - sentAt) / 2;
          issuedAt = Math.round(sentAt + oneWayMs);
          if (options.onPredictionId)
            await raceAbort(Promise.resolve(options.onPredictionId(id)), signal);
        }

        const predictionId = id;
        const schedule = new PollSchedule(expectedMs, this.#pollTuning);
        const estimate = () =>
          issuedAt - startedAt + schedule.estimatedTotalMs(this.#now() - issuedAt);
        report({
          status: 'starting',
          predictionId,
          elapsedMs: this.#now() - startedAt,
          estimatedMs: estimate(),
        });

        const final = await this.#pollUntilDone(predictionId, {
          signal,
          schedule,
          issuedAt,
          oneWayMs,
          concurrencyWaitMs: expectedMs,
          onPending: (status) =>
            report({
              status,
              predictionId,
              elapsedMs: this.#now() - startedAt,
              estimatedMs: estimate(),
            }),
          onRetry: (retry) =>
            report({
              status: 'retrying',
              predictionId,
              ...retry,
              elapsedMs: this.#now() - startedAt,
              estimatedMs: Math.max(estimate(), this.#now() - startedAt + retry.retryInMs),
            }),
        });
        pending = false;

        if (final.status === 'completed') {
          const output = final.output ?? [];
          if (output.length === 0)
            throw failedAnswer(200, undefined, 'completed without output', predictionId);
          return { id: predictionId, output, durationMs: this.#now() - startedAt };
        }
        if (final.status === 'canceled') {
          throw new FashnError({
            code: 'canceled',
            message: `Prediction ${predictionId} was canceled`,
            predictionId,
          });
        }
        const failure = new FashnError({
          code: 'prediction-failed',
          fashnName: final.error?.name ?? 'UnknownError',
          message: final.error?.message || `Prediction ${predictionId} failed`,
          predictionId,
        });
        // PipelineError: FASHN's own advice is to run again; failed attempts are not charged.
        if (
          failure.fashnName !== 'PipelineError' ||
          pipelineReruns >= 1 ||
          options.rerunnable === false
        )
          throw failure;
        pipelineReruns += 1;
        id = undefined;
        report({
          status: 'retrying',
          predictionId,
          attempt: pipelineReruns,
          retryInMs: 0,
          error: failure,
          elapsedMs: this.#now() - startedAt,
          estimatedMs: this.#now() - startedAt + expectedMs,
        });
      }
    } catch (error) {
      if (pending && id !== undefined) void this.cancel(id);
      if (!signal.aborted) throw error;
      if (signal.reason === TIMED_OUT) {
        throw new FashnError({
          code: 'timeout',
          message: `The prediction did not finish within ${Math.round(timeoutMs / 1000)} s`,
          predictionId: id,
        });
      }
      throw canceledError(id, signal.reason);
    } finally {
      watchdog.abort();
      options.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * Polls `id` on `schedule` until it ends. Schedule times are FASHN's ms since it
   * issued the id; each request leaves half a round trip early so FASHN sees it
   * on time. Transient failures keep polling the same id with backoff.
   */
  async #pollUntilDone(
    id: string,
    plan: {
      signal: AbortSignal;
      schedule: PollSchedule;
      /** When FASHN issued the id, on our clock. */
      issuedAt: number;
      /** Half a round trip, as measured so far. */
      oneWayMs: number;
      concurrencyWaitMs: number;
      onPending: (status: 'starting' | 'in_queue' | 'processing') => void;
      onRetry: OnRetry;
    },
  ): Promise<StatusResponse> {
    const { signal, schedule, issuedAt } = plan;
    let oneWayMs = plan.oneWayMs;
    let lastSeen: number | undefined; // FASHN's time of the last status we saw
    const nextDelay = () => {
      const from = lastSeen ?? this.#now() - issuedAt;
      const seenAt = from + schedule.nextDelayMs(from);
      return Math.max(0, issuedAt + seenAt - oneWayMs - this.#now());
    };
    let delay = nextDelay();
    let failures = 0;
    // Long-polling: while the proxy holds, it does the waiting; re-ask at once with a long wait.
    let holding = this.#longPoll;
    let previous = 'starting';
    for (;;) {
      if (delay > 0) await raceAbort(this.#sleepImpl(delay, signal), signal);
      const sentAt = this.#now();
      // Back on the schedule, a proxy may still hold the request until the next poll is due.
      const waitMs = holding
        ? this.#longPollWaitMs
        : this.#longPoll
          ? schedule.gapAfter(sentAt + oneWayMs - issuedAt)
          : undefined;
      let answer: StatusResponse;
      try {
        answer = await this.status(id, { signal, waitMs });
      } catch (error) {
        if (signal.aborted || !(error instanceof FashnError) || !isTransientFailure(error))
          throw error;
        failures += 1;
        delay = retryDelayMs(error, failures, {
          policy: this.#retryPolicy,
          random: this.#random,
          concurrencyWaitMs: plan.concurrencyWaitMs,
        });
        plan.onRetry({ attempt: failures, retryInMs: delay, error });
        continue;
      }
      failures = 0;
      const { status } = answer;
      if (isFinalStatus(status)) return answer;
      const receivedAt = this.#now();
      if (this.#longPoll) {
        // A held answer tells the status as it left FASHN; its round trip includes the hold.
        lastSeen = receivedAt - oneWayMs - issuedAt;
      } else {
        oneWayMs = (receivedAt - sentAt) / 2;
        lastSeen = sentAt + oneWayMs - issuedAt;
      }
      schedule.observe(lastSeen, status);
      plan.onPending(status);
      // Early and unchanged: nobody held it, so re-asking at once would spin.
      holding &&= status !== previous || receivedAt - sentAt >= HELD_MS;
      previous = status;
      delay = holding ? 0 : nextDelay();
    }
  }

  /**
   * POSTs run with `key` until it succeeds or fails for good; `sentAt`: when the
   * answered attempt left. A run is sent again only after an answer that proves
   * nothing started (a refusal, a 429, or a 5xx the proxy vouches for with
   * `Idempotency-Support`). Once a request may have reached FASHN (connection
   * lost, a timeout, a gateway's 5xx), it only asks `GET …/run` with the key what
   * became of it (`asking`; from the start for a resume by key): a proxy that
   * remembers keys answers the id, waiting if the run is still on its way, and the
   * question can never start a run anywhere. Any answer to it without an id is
   * `RunOutcomeUnknown`. `FashnClient` checks inputs first.
   */
  protected async sendRun<M extends ModelName>(
    model: M,
    inputs: ModelInputs[M],
    signal: AbortSignal | undefined,
    key: string,
    deadline: number,
    onRetry?: OnRetry,
    asking = false,
  ): Promise<SentRun> {
    const body = { model_name: model, inputs };
    const headers = { [IDEMPOTENCY_KEY_HEADER]: key };
    let sentAt = this.#now();
    /** Why the client is asking rather than sending. */
    let lost: FashnError | undefined;
    /** What a failure that ends the request throws: once asking, only ever `RunOutcomeUnknown`. */
    const giveUp = (failure: FashnError) => (asking ? outcomeUnknown(lost ?? failure) : failure);
    for (let attempt = 1; ; attempt += 1) {
      let failure: FashnError;
      const seen = { advertised: false };
      if (!asking) sentAt = this.#now();
      try {
        const answer = await this.#send(
          '/run',
          asking ? 'GET' : 'POST',
          asking ? undefined : body,
          signal,
          undefined,
          headers,
          seen,
        );
        const id = readRunId(answer);
        if (id) return { id, sentAt, expectedMs: readExpectedMs(answer) };
        if (asking) throw outcomeUnknown(lost);
        // Some answers say 200 yet carry `{ error, message }` instead of an id; without
        // either, it is not the protocol at all: a proxy-url that points somewhere else.
        throw failedAnswer(200, answer, 'no id');
      } catch (error) {
        if (signal?.aborted || !(error instanceof FashnError)) throw error;
        if (error.fashnName === RUN_OUTCOME_UNKNOWN) throw error;
        if (!isTransientFailure(error)) throw giveUp(error);
        failure = error;
      }
      if (!asking && !nothingStarted(failure, seen.advertised)) {
        // It may have left: from now on only ask, at once.
        asking = true;
        lost = failure;
        attempt = 0;
        continue;
      }
      if (attempt >= this.#retryPolicy.runAttempts) throw giveUp(failure);
      const delay = retryDelayMs(failure, attempt, {
        policy: this.#retryPolicy,
        random: this.#random,
        concurrencyWaitMs: expectedDurationMs(model, inputs as DurationInputs),
      });
      // Waiting past the deadline would only turn a clear refusal into a vague timeout.
      if (this.#now() + delay >= deadline) throw giveUp(failure);
      onRetry?.({ attempt, retryInMs: delay, error: failure });
      await raceAbort(this.#sleepImpl(delay, signal), signal);
    }
  }

  /** One request; resolves with the JSON of a 2xx answer, throws FashnError otherwise. */
  async #send(
    path: string,
    method: 'GET' | 'POST',
    body: unknown,
    signal: AbortSignal | undefined,
    predictionId?: string,
    extraHeaders?: Record<string, string>,
    seen?: { advertised: boolean },
  ): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await raceAbort(this.#fetch(path, method, body, signal, extraHeaders), signal);
      if (seen) seen.advertised = advertisesIdempotency(response.headers);
      text = await raceAbort(response.text(), signal);
    } catch (cause) {
      if (signal?.aborted) throw canceledError(predictionId, signal.reason);
      throw new FashnError({
        code: 'network',
        message: 'Could not reach the try-on service; check the connection',
        predictionId,
        cause,
      });
    }
    const json = parseJson(text);
    if (response.ok) {
      if (json === NOT_JSON)
        throw failedAnswer(response.status, undefined, 'not JSON', predictionId);
      return json;
    }
    throw failedAnswer(
      response.status,
      json,
      json === NOT_JSON ? 'not JSON' : 'no error name',
      predictionId,
      parseRetryAfterMs(response.headers.get('retry-after'), this.#now()),
    );
  }

  /** Fetches `path` under the base URL with `requestInit`, `headers` and `extraHeaders`. */
  #fetch(
    path: string,
    method: 'GET' | 'POST',
    body?: unknown,
    signal?: AbortSignal,
    extraHeaders?: Record<string, string>,
  ): Promise<Response> {
    const headers = new Headers(this.#requestInit.headers);
    for (const [name, value] of Object.entries({ ...this.#headers, ...extraHeaders }))
      headers.set(name, value);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    // Only requests with a body say JSON, so GET status stays a CORS simple request.
    if (body !== undefined) headers.set('content-type', 'application/json');
    return this.#fetchImpl(`${this.#baseUrl}${path}`, {
      ...this.#requestInit,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  }

  /** Public methods reject with `canceled` when their own signal ended them. */
  protected abortedAs(
    error: unknown,
    signal: AbortSignal | undefined,
    predictionId?: string,
  ): unknown {
    if (signal?.aborted && !(error instanceof FashnError && error.code === 'canceled')) {
      return canceledError(predictionId, signal.reason);
    }
    return error;
  }
}

/** The whole client: `predict`, `status`, `cancel`, and `run` on its own; inputs checked with `validate`. */
export class FashnClient extends FashnPredictClient {
  readonly #validate: InputValidators | undefined;

  constructor(options: FashnClientOptions) {
    super(options);
    this.#validate = options.validate;
  }

  /**
   * `POST /run`: with `validate`, checks `inputs` first (refused inputs throw
   * `bad-request` without any request); retries transient failures, resolves with FASHN's id.
   */
  async run<M extends ModelName>(
    model: M,
    inputs: ModelInputs[M],
    options: { signal?: AbortSignal; idempotencyKey?: string } = {},
  ): Promise<{ id: string }> {
    try {
      const key = options.idempotencyKey ?? newIdempotencyKey();
      const { id } = await this.sendRun(
        model,
        inputs,
        options.signal,
        key,
        Number.POSITIVE_INFINITY,
      );
      return { id };
    } catch (error) {
      throw this.abortedAs(error, options.signal);
    }
  }

  /** Checks `inputs` with `validate` before a run is sent (not when only asking what became of one). */
  protected override sendRun<M extends ModelName>(
    model: M,
    inputs: ModelInputs[M],
    signal: AbortSignal | undefined,
    key: string,
    deadline: number,
    onRetry?: OnRetry,
    asking = false,
  ): Promise<SentRun> {
    if (!asking) this.checkInputs(model, inputs);
    return super.sendRun(model, inputs, signal, key, deadline, onRetry, asking);
  }

  /** Throws `bad-request` when `inputs` fail their model's schema in `validate` (or it has none). */
  protected checkInputs(model: ModelName, inputs: unknown): void {
    if (!this.#validate) return;
    const checked = this.#validate[model]?.safeParse(inputs);
    if (checked?.success) return;
    throw new FashnError({
      code: 'bad-request',
      message: checked
        ? `Invalid ${model} inputs: ${describeIssue(checked.error)}`
        : `Unknown model ${String(model)}`,
      retriable: false,
    });
  }
}

/**
 * Whether a failed run request proves that no prediction started, so sending it
 * again cannot pay twice: a 429 (refused before any work), or a 5xx refusal from
 * a proxy that advertises idempotency (it answers those only when FASHN refused
 * or was never reached, and `RunOutcomeUnknown` otherwise). A lost connection,
 * a 408 and a gateway's 5xx prove nothing.
 */
function nothingStarted(error: FashnError, advertised: boolean): boolean {
  const status = error.httpStatus;
  if (status === undefined) return false;
  if (status === 429) return true;
  return advertised && error.fashnName !== undefined && status >= 500;
}

/** The run may have started at FASHN and its id is lost: no automatic re-send. */
function outcomeUnknown(cause: unknown): FashnError {
  return new FashnError({
    code: 'network',
    fashnName: RUN_OUTCOME_UNKNOWN,
    message: 'Run answer lost; it may have started, so it is not sent again',
    // "Try again" is an explicit new run with a new key.
    retriable: true,
    cause,
  });
}

/**
 * A failed answer as FashnError: FASHN's refusal when `body` is one (`{ error, message }`),
 * otherwise an answer that is not FASHN's protocol (an HTML error page, a wrong URL...),
 * `what` saying how.
 */
function failedAnswer(
  httpStatus: number,
  body: unknown,
  what: string,
  predictionId?: string,
  retryAfterMs?: number,
): FashnError {
  const refused = readRefusal(body);
  const fashnName = refused?.error;
  const code = codeForApiError(httpStatus, fashnName);
  const transient = isTransientFailure({ code, httpStatus, fashnName });
  return new FashnError({
    code,
    message: !refused
      ? `The proxy answered something unexpected (HTTP ${httpStatus}, ${what})`
      : refused.message
        ? `${fashnName}: ${refused.message}`
        : `${fashnName} (HTTP ${httpStatus})`,
    // A 5xx may be a passing outage. An answer outside the protocol is otherwise a
    // misconfiguration, and a 403 the proxy's policy (model or origin not allowed):
    // asking again changes nothing. Other refusals keep their code's default.
    retriable: transient || (refused && httpStatus !== 403 ? undefined : false),
    fashnName,
    predictionId,
    httpStatus,
    retryAfterMs,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}
