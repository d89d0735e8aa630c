/**
 * The emulator's HTTP face: routes by the path's ending, FASHN's answer shapes
 * (`{ error, message }` with a status), injected faults, auth, and the request
 * log. What a prediction is and does lives in predictions.ts; the control
 * endpoints in control.ts.
 */
import { expectedDurationMs } from '../api/polling.js';
import type { FaultBook } from './faults.js';
import type { ResolvedOptions } from './options.js';
import { isPlainObject, validateRun, type PredictionBook, type Refusal } from './predictions.js';
import type { FaultKind, FaultRule, RecordedRequest, RequestKind } from './types.js';
import { webhookUrlIn } from './webhook.js';

/** What the HTTP layer needs of the emulator. */
export interface EmulatorContext {
  options(): ResolvedOptions;
  predictions: PredictionBook;
  faults: FaultBook;
  log: RequestLog;
  /** The control endpoints (`…/__control/*`), when served. */
  control(action: ControlAction, request: Request): Promise<Response>;
}

export type ControlAction = 'reset' | 'faults' | 'log';

type Route =
  | { kind: 'run' }
  | { kind: 'status' | 'cancel'; id: string }
  | { kind: 'output'; id: string; file: string }
  | { kind: 'control'; action: ControlAction }
  | { kind: 'other' };

type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

/** Requests kept in the log (the oldest are dropped beyond this). */
const MAX_LOG_ENTRIES = 5_000;

const DEFAULT_ERROR_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'UnauthorizedAccess',
  404: 'NotFound',
  429: 'RateLimitExceeded',
};

/** The TypeError an injected network fault rejects with, like fetch's own. */
export class EmulatedNetworkError extends TypeError {
  constructor() {
    super('fetch failed', { cause: new Error('connection dropped (injected fault)') });
  }
}

/** The requests seen, newest last; a long-running demo polls for hours, so it is bounded. */
export class RequestLog {
  #entries: RecordedRequest[] = [];

  add(entry: RecordedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > MAX_LOG_ENTRIES)
      this.#entries.splice(0, this.#entries.length - MAX_LOG_ENTRIES);
  }

  clear(): void {
    this.#entries = [];
  }

  get entries(): RecordedRequest[] {
    return [...this.#entries];
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchRoute(pathname: string): Route {
  const control = /\/__control\/(reset|faults|log)\/?$/.exec(pathname);
  if (control) return { kind: 'control', action: control[1] as ControlAction };
  const output = /\/outputs\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (output) return { kind: 'output', id: safeDecode(output[1]), file: safeDecode(output[2]) };
  const prediction = /\/(status|cancel)\/([^/]+)\/?$/.exec(pathname);
  if (prediction)
    return { kind: prediction[1] as 'status' | 'cancel', id: safeDecode(prediction[2]) };
  if (/\/run\/?$/.test(pathname)) return { kind: 'run' };
  return { kind: 'other' };
}

/** JSON answer with FASHN's content type. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** API-level refusal in FASHN's shape: `{ error, message }`. */
export function apiError(
  status: number,
  error: string,
  message: string,
  headers?: Record<string, string>,
): Response {
  return json({ error, message }, status, headers);
}

function refusalResponse({ status, error, message, retryAfterSeconds }: Refusal): Response {
  const headers =
    retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) };
  return apiError(status, error, message, headers);
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(response.body, { status: response.status, headers: merged });
}

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

/** The `(Request) => Promise<Response>` of an emulator. */
export function createHttpHandler(
  context: EmulatorContext,
): (request: Request) => Promise<Response> {
  const { predictions, faults, log } = context;

  async function run(
    method: string,
    body: ParsedBody,
    url: URL,
    entry: RecordedRequest,
  ): Promise<Response> {
    if (method !== 'POST') return apiError(404, 'NotFound', `No endpoint ${method} …/run`);
    if (!body.ok) return apiError(400, 'BadRequest', body.message);
    const valid = validateRun(body.value);
    if (!('model' in valid)) return refusalResponse(valid);
    const webhookUrl = webhookUrlIn(url);
    if (webhookUrl instanceof Error) return apiError(400, 'BadRequest', webhookUrl.message);
    const options = context.options();
    const refusal = predictions.limitRefusal(options.now());
    if (refusal) return refusalResponse(refusal);
    // `fail` rules are spent only by runs that create a prediction.
    const rule = faults.take({ kind: 'run', model: valid.model }, true);
    if (rule) {
      entry.faulted = true;
      if (rule.delayMs) await sleep(rule.delayMs);
    }
    const mount = url.pathname.replace(/\/run\/?$/, '');
    const record = predictions.create(valid, options.publicUrl ?? url.origin + mount, rule?.fail);
    entry.predictionId = record.id;
    if (webhookUrl) predictions.notify(record, webhookUrl);
    // expected_duration_ms: not FASHN's; lets the client's progress estimate follow `speed`.
    const expected = Math.round(expectedDurationMs(valid.model, valid.values) * options.speed);
    const response = json({ id: record.id, error: null, expected_duration_ms: expected });
    return rule?.headers ? withHeaders(response, rule.headers) : response;
  }

  const notFound = (id: string) => apiError(404, 'NotFound', `Prediction ${id} not found`);

  async function status(id: string): Promise<Response> {
    const record = predictions.get(id);
    if (!record) return notFound(id);
    const state = await predictions.settledState(record);
    // FASHN tells what a finished prediction cost (the official SDK reads it as `creditsUsed`).
    const cost: Record<string, string> =
      state.status === 'completed' && record.outcome?.ok
        ? { 'x-fashn-credits-used': String(record.outcome.files.length) }
        : {};
    return json(predictions.statusBody(record, state), 200, cost);
  }

  async function cancel(id: string): Promise<Response> {
    const record = predictions.get(id);
    if (!record) return notFound(id);
    return json(await predictions.cancel(record));
  }

  async function output(id: string, file: string): Promise<Response> {
    const record = predictions.get(id);
    const match = /^output_(\d+)\.(jpg|png)$/.exec(file);
    const bytes =
      record && match
        ? await predictions.outputFile(record, Number(match[1]), match[2])
        : undefined;
    if (!record || !bytes) return apiError(404, 'NotFound', 'Output not found');
    return new Response(bytes, {
      headers: {
        'content-type': record.format === 'jpeg' ? 'image/jpeg' : 'image/png',
        'cache-control': 'public, max-age=3600',
        'access-control-allow-origin': '*',
      },
    });
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
    if (rule.loseAnswer) {
      await response.body?.cancel();
      throw new EmulatedNetworkError();
    }
    return Object.keys(headers).length === 0 ? response : withHeaders(response, headers);
  }

  function authorized(request: Request): boolean {
    const { apiKey } = context.options();
    if (apiKey === undefined) return true;
    return request.headers.get('authorization') === `Bearer ${apiKey}`;
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
    if (route.kind === 'control') return context.control(route.action, request);

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

  return async function handle(request) {
    const options = context.options();
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
    log.add(entry);
    try {
      const response = await dispatch(request, route, entry, url);
      entry.httpStatus = response.status;
      return response;
    } catch (error) {
      if (error instanceof EmulatedNetworkError) throw error;
      entry.httpStatus = 500;
      return apiError(500, 'InternalServerError', `Emulator error: ${(error as Error).message}`);
    }
  };
}
