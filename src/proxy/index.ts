/**
 * The reference proxy between `<fashn-try-on>` and FASHN's API: a web-standard
 * `(Request) => Promise<Response>` handler (Node 20+, Next.js route handlers,
 * Cloudflare Workers, Deno, Bun), so no `node:*` import belongs here.
 *
 * It adds `Authorization: Bearer <key>` to three endpoints and refuses, before
 * anything reaches FASHN, whatever a shop would not want to pay for or expose:
 * other models, invalid inputs, foreign origins, huge bodies, floods.
 */
import { inputSchemas } from '../api/schemas.js';
import { DEFAULT_MAX_BODY_BYTES, readBodyWithin } from './body.js';
import { checkOrigin, corsHeaders, originPolicy, preflightHeaders } from './cors.js';
import {
  DEFAULT_RATE_LIMIT,
  RATE_LIMIT_COSTS,
  createMemoryRateLimitStore,
  defaultClientKey,
  type RateLimitConfig,
  type RateLimitStore,
} from './rate-limit.js';
import { acceptsMethod, matchPath, type Route } from './routes.js';
import { checkRunBody, type InputSchema } from './validate.js';

export {
  DEFAULT_RATE_LIMIT,
  RATE_LIMIT_COSTS,
  createMemoryRateLimitStore,
  defaultClientKey,
  type RateLimitConfig,
  type RateLimitDecision,
  type RateLimitStore,
} from './rate-limit.js';
export { DEFAULT_MAX_BODY_BYTES } from './body.js';
export { PREDICTION_ID } from './routes.js';

export interface FashnProxyOptions {
  /** FASHN API key. Required; it is sent upstream only and never answered or logged. */
  apiKey: string;
  /** FASHN's API base. Default `https://api.fashn.ai/v1`. */
  upstream?: string;
  /** Fetch used for upstream calls. Default `globalThis.fetch` (tests and the demo inject the emulator). */
  fetch?: typeof fetch;
  /** Models forwarded. Default `['face-to-model', 'tryon-v1.6']`; each needs an input schema. */
  allowModels?: readonly string[];
  /**
   * Browser origins allowed to call the proxy: exact origins, or `'*'` said explicitly.
   * Default: the proxy's own origin only. Requests without `Origin` are served.
   */
  allowOrigins?: readonly string[] | '*';
  /** Largest request body in bytes. Default 10 MiB; above it, 413 `PayloadTooLarge`. */
  maxBodyBytes?: number;
  /**
   * Token bucket per client (see `RATE_LIMIT_COSTS`: run 6, status 1, cancel 1).
   * Default `{ capacity: 60, refillPerSecond: 1 }`; `false` turns it off.
   */
  rateLimit?: RateLimitConfig | false;
  /** Where buckets live. Default in this process's memory; share one across instances. */
  rateLimitStore?: RateLimitStore;
  /**
   * The rate-limit key of a request. Default: first `X-Forwarded-For` hop, else
   * `CF-Connecting-IP`, else `'anonymous'`. Those headers are only trustworthy
   * when set by your own edge; see `defaultClientKey`.
   */
  clientKey?: (request: Request) => string;
  /** Longest wait for FASHN, headers and body, in ms. Default 30 000; then 504 `UpstreamTimeout`. */
  upstreamTimeoutMs?: number;
  /** Receives one line per request: method, endpoint, model, status, duration. No key, no image data. */
  log?: (line: string) => void;
  /** Clock in ms, for rate limiting and durations. Default `Date.now`. */
  now?: () => number;
}

const DEFAULT_UPSTREAM = 'https://api.fashn.ai/v1';
const DEFAULT_MODELS: readonly string[] = ['face-to-model', 'tryon-v1.6'];
const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;
/** Upstream response headers worth passing on; everything else (cookies, auth, HSTS, hop-by-hop) stays behind. */
const PASSED_HEADERS = [
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-request-id',
];
const REDACTED = '[redacted]';

interface Answer {
  response: Response;
  model?: string;
  /** Our error name for refusals and failures, for the log line. */
  note?: string;
}

/**
 * Creates the proxy handler. It serves `POST …/run`, `GET …/status/:id` and
 * `POST …/cancel/:id` (also `GET`, as FASHN documents it) under any prefix,
 * answers CORS preflights, and refuses everything else with FASHN's error
 * shape `{ error, message }`. Throws a TypeError for invalid options.
 */
export function createFashnProxy(
  options: FashnProxyOptions,
): (request: Request) => Promise<Response> {
  const config = resolveOptions(options);
  const { apiKey, now } = config;

  const scrub = (text: string) =>
    text.includes(apiKey) ? text.replaceAll(apiKey, REDACTED) : text;

  function logLine(request: Request, route: Route | undefined, answer: Answer, started: number) {
    if (!config.log) return;
    const kind = route ? (route.kind === 'invalid-id' ? route.endpoint : route.kind) : 'other';
    const parts = [request.method, kind, answer.model ?? '-', String(answer.response.status)];
    if (answer.note) parts.push(answer.note);
    parts.push(`${Math.round(now() - started)}ms`);
    try {
      config.log(scrub(parts.join(' ')));
    } catch {
      // A broken logger must not break the shopper's request.
    }
  }

  async function forward(
    request: Request,
    path: string,
    init: { method: 'GET' | 'POST'; body?: string },
    cors: Record<string, string>,
  ): Promise<Answer> {
    const timeout = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      timeout.abort();
    }, config.upstreamTimeoutMs);
    const signal = anySignal([timeout.signal, request.signal]);
    try {
      // Raced against the signal too: an injected fetch that ignores `signal` must not hang us.
      const upstream = await untilAborted(
        config.fetch(`${config.upstream}${path}`, {
          method: init.method,
          headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: init.body,
          signal,
          // A redirect is not part of FASHN's API; never follow one with the key attached.
          redirect: 'manual',
        }),
        signal,
      );
      if (upstream.status >= 300 && upstream.status < 400) {
        await upstream.body?.cancel().catch(() => undefined);
        return fail(
          502,
          'BadGateway',
          `FASHN answered with an unexpected redirect (HTTP ${upstream.status}).`,
          cors,
        );
      }
      const text = scrub(await untilAborted(upstream.text(), signal));
      const contentType = upstream.headers.get('content-type') ?? '';
      if (!contentType.includes('json') && !isJson(text)) {
        return fail(
          502,
          'BadGateway',
          `FASHN answered HTTP ${upstream.status} without JSON.`,
          cors,
        );
      }
      const headers: Record<string, string> = { ...jsonHeaders(), ...cors };
      for (const name of PASSED_HEADERS) {
        const value = upstream.headers.get(name);
        if (value !== null && !value.includes(apiKey)) headers[name] = value;
      }
      return {
        response: new Response(text, { status: upstream.status, headers }),
        note: upstream.ok ? undefined : 'upstream',
      };
    } catch {
      if (timedOut) {
        return fail(
          504,
          'UpstreamTimeout',
          `FASHN did not answer within ${config.upstreamTimeoutMs} ms; try again.`,
          cors,
        );
      }
      return fail(502, 'BadGateway', 'FASHN could not be reached; try again.', cors);
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(request: Request, cors: Record<string, string>): Promise<Answer> {
    const body = await readBodyWithin(request, config.maxBodyBytes);
    if (!body.ok) {
      return fail(
        413,
        'PayloadTooLarge',
        `The request body is over the limit of ${config.maxBodyBytes} bytes.`,
        cors,
      );
    }
    const checked = checkRunBody(body.bytes, config.models);
    if (!checked.ok) {
      const refusal = fail(checked.status, checked.error, scrub(checked.message), cors);
      return { ...refusal, model: checked.modelName };
    }
    const { modelName, inputs } = checked;
    const answer = await forward(
      request,
      '/run',
      { method: 'POST', body: JSON.stringify({ model_name: modelName, inputs }) },
      cors,
    );
    return { ...answer, model: modelName };
  }

  async function handle(request: Request, route: Route | undefined): Promise<Answer> {
    const decision = checkOrigin(request, config.origins);
    if (decision.kind === 'refused') {
      return fail(
        403,
        'OriginNotAllowed',
        'This origin may not use this proxy.',
        corsHeaders(decision),
      );
    }
    const cors = corsHeaders(decision);
    if (request.method === 'OPTIONS' && route) {
      return {
        response: new Response(null, { status: 204, headers: preflightHeaders(decision, request) }),
      };
    }
    if (!route || !acceptsMethod(route, request.method)) {
      return fail(
        404,
        'NotFound',
        'No such endpoint: the proxy serves POST …/run, GET …/status/{id} and POST …/cancel/{id}.',
        cors,
      );
    }
    if (route.kind === 'invalid-id') {
      return fail(400, 'BadRequest', "id: must be 1 to 128 letters, digits, '-' or '_'.", cors);
    }
    if (config.rateLimit) {
      const { capacity, refillPerSecond } = config.rateLimit;
      const decided = await config.rateLimitStore.take(
        config.clientKey(request),
        RATE_LIMIT_COSTS[route.kind],
        capacity,
        refillPerSecond,
        now(),
      );
      if (!decided.allowed) {
        const seconds = Math.max(1, Math.ceil(decided.retryAfterMs / 1000));
        return fail(429, 'RateLimitExceeded', `Too many requests; try again in ${seconds} s.`, {
          ...cors,
          'Retry-After': String(seconds),
        });
      }
    }
    switch (route.kind) {
      case 'run':
        return run(request, cors);
      case 'status':
        return forward(request, `/status/${route.id}`, { method: 'GET' }, cors);
      case 'cancel':
        // FASHN documents cancel as GET /v1/cancel/{id}; the proxy's own clients may POST.
        return forward(request, `/cancel/${route.id}`, { method: 'GET' }, cors);
    }
  }

  return async function fashnProxy(request: Request): Promise<Response> {
    const started = now();
    let route: Route | undefined;
    let answer: Answer;
    try {
      route = matchPath(new URL(request.url).pathname);
      answer = await handle(request, route);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      answer = fail(500, 'InternalServerError', 'The proxy failed; try again.', {});
      answer.note = `InternalServerError (${name})`;
    }
    logLine(request, route, answer, started);
    return answer.response;
  };
}

function jsonHeaders(): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}

/** A refusal in FASHN's error shape. */
function fail(
  status: number,
  error: string,
  message: string,
  headers: Record<string, string>,
): Answer {
  return {
    response: new Response(JSON.stringify({ error, message }), {
      status,
      headers: { ...jsonHeaders(), ...headers },
    }),
    note: error,
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `promise`, or a rejection as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Aborts when any of the signals does (AbortSignal.any where the runtime has it). */
function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}

interface ResolvedOptions {
  apiKey: string;
  upstream: string;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  models: ReadonlyMap<string, InputSchema>;
  origins: ReturnType<typeof originPolicy>;
  maxBodyBytes: number;
  rateLimit: RateLimitConfig | false;
  rateLimitStore: RateLimitStore;
  clientKey: (request: Request) => string;
  upstreamTimeoutMs: number;
  log: ((line: string) => void) | undefined;
  now: () => number;
}

function resolveOptions(options: FashnProxyOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createFashnProxy: options are required ({ apiKey })');
  }
  const { apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new TypeError(
      'createFashnProxy: apiKey is required (your FASHN API key; keep it on the server)',
    );
  }
  // It goes into a header: visible ASCII only (a pasted newline or space is a config mistake).
  if (!/^[!-~]+$/.test(apiKey)) {
    throw new TypeError('createFashnProxy: apiKey must be printable ASCII without spaces');
  }

  const upstream = (options.upstream ?? DEFAULT_UPSTREAM).replace(/\/+$/, '');
  let upstreamUrl: URL | undefined;
  try {
    upstreamUrl = new URL(upstream);
  } catch {
    upstreamUrl = undefined;
  }
  if (
    !upstreamUrl ||
    !/^https?:$/.test(upstreamUrl.protocol) ||
    upstreamUrl.search ||
    upstreamUrl.hash
  ) {
    throw new TypeError(
      `createFashnProxy: upstream must be an http(s) URL without query, got ${JSON.stringify(upstream)}`,
    );
  }

  const upstreamFetch = options.fetch ?? globalThis.fetch;
  if (typeof upstreamFetch !== 'function') {
    throw new TypeError('createFashnProxy: no fetch available; pass options.fetch');
  }

  const models = new Map<string, InputSchema>();
  for (const name of options.allowModels ?? DEFAULT_MODELS) {
    const schema = (inputSchemas as Record<string, InputSchema | undefined>)[name];
    if (!schema) {
      throw new TypeError(
        `createFashnProxy: allowModels names ${JSON.stringify(name)}, which the proxy cannot validate (known: ${Object.keys(inputSchemas).join(', ')})`,
      );
    }
    models.set(name, schema);
  }

  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  positive('maxBodyBytes', maxBodyBytes);
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  positive('upstreamTimeoutMs', upstreamTimeoutMs);

  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (rateLimit !== false) {
    positive('rateLimit.capacity', rateLimit.capacity);
    positive('rateLimit.refillPerSecond', rateLimit.refillPerSecond);
    if (rateLimit.capacity < RATE_LIMIT_COSTS.run) {
      throw new TypeError(
        `createFashnProxy: rateLimit.capacity must be at least ${RATE_LIMIT_COSTS.run}, the cost of one run`,
      );
    }
  }

  return {
    apiKey,
    upstream,
    // Called unbound: some runtimes (Workers) refuse fetch called as another object's method.
    fetch: (input, init) => upstreamFetch(input, init),
    models,
    origins: resolveOrigins(options.allowOrigins),
    maxBodyBytes,
    rateLimit,
    rateLimitStore: options.rateLimitStore ?? createMemoryRateLimitStore(),
    clientKey: options.clientKey ?? defaultClientKey,
    upstreamTimeoutMs,
    log: options.log,
    now: options.now ?? Date.now,
  };
}

function resolveOrigins(allowOrigins: FashnProxyOptions['allowOrigins']) {
  try {
    return originPolicy(allowOrigins);
  } catch (error) {
    throw new TypeError(`createFashnProxy: allowOrigins: ${(error as Error).message}`);
  }
}

function positive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `createFashnProxy: ${name} must be a positive number, got ${String(value)}`,
    );
  }
}
