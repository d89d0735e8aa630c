/**
 * The proxy's rules, once, for every way of running it: `createFashnProxy`
 * feeds it web `Request`s, the Node adapter feeds it `IncomingMessage`s
 * directly (no `Request`/`Response` objects per call). Whatever the front
 * and whatever the transport to FASHN, a call goes through the same checks:
 * origin, route, rate limit, body limit and validation, the key added
 * upstream and redacted from everything coming back, timeouts, long-poll.
 * No `node:*` import belongs here.
 */
import type { DurationInputs } from '../api/polling.js';
import { PENDING_STATUSES, type ModelName } from '../api/schemas.js';
import {
  IDEMPOTENCY_KEY_UNKNOWN,
  IDEMPOTENCY_SUPPORT_HEADER,
  RUN_OUTCOME_UNKNOWN,
} from '../api/idempotency.js';
import { isFinalStatus } from '../api/models.js';
import { readTextWithin, type BodySource } from './body.js';
import { createCompletions, type RelayedAnswer } from './completions.js';
import { checkOrigin, corsHeaders, preflightHeaders } from './cors.js';
import { creditsAnswer, isCreditsPath, learnCredits } from './credits.js';
import { hostAllowed } from './hosts.js';
import { IDEMPOTENCY_KEY, fingerprintOf } from './idempotency.js';
import { RUN_BODY_LIMITS, jsonShapeScanner } from './json-shape.js';
import { createStatusWatcher } from './long-poll.js';
import type { ResolvedOptions } from './options.js';
import { policyProblem } from './policy.js';
import { RATE_LIMIT_COSTS, clientKeyFromHeaders } from './rate-limit.js';
import { acceptsMethod, matchPath, type Route } from './routes.js';
import { createRunOnce, type RunOnceResult, type Sent } from './run-once.js';
import { checkRunQuery, withoutSdkOptions } from './sdk-body.js';
import { AnswerTooLarge, type Upstream } from './upstream.js';
import { keyScrubber, rebuildAnswer, type AnswerKind } from './upstream-answer.js';
import { checkRunBody } from './validate.js';
import {
  bindWebhookToken,
  dropWebhookToken,
  isWebhookPath,
  newWebhookToken,
  receiveWebhook,
  reserveWebhookToken,
  runPathWithWebhook,
  webhookTokenIn,
} from './webhook.js';

/** One client request, as the core reads it. */
export interface ProxyCall {
  method: string;
  /** The URL's path, normalised as the WHATWG URL parser does. */
  pathname: string;
  /** The URL's query with its `?`, or `''`. Read for `wait`; never forwarded. */
  search: string;
  /** A request header by lower-case name, or `null`. */
  header: (name: string) => string | null;
  /** The proxy's own origin as the client addressed it (asked only for same-origin CORS). */
  selfOrigin: () => string;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  body: BodySource | null;
  /** The call as a web `Request`, for a caller's `clientKey` (made only if one is set). */
  toRequest(): Request;
}

/** What to answer: the front turns it into a `Response` or writes it to a socket. */
export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON text, or `null` for no body. */
  body: string | null;
}

/**
 * FASHN's answer rebuilt from what was parsed (no key in any encoding) with only
 * safe headers kept, or why there is none. `sent`: the request may have reached
 * FASHN (false only when the connection was never made).
 */
type Upstreamed =
  | RelayedAnswer
  | {
      ok: false;
      status: 502 | 504;
      error: 'BadGateway' | 'UpstreamTimeout';
      message: string;
      sent: boolean;
    };

interface Outcome {
  answer: ProxyAnswer;
  model?: string;
  /** Our error name for refusals and failures, for the log line. */
  note?: string;
}

/** Upstream response headers worth passing on; everything else (cookies, auth, HSTS, hop-by-hop) stays behind. */
const PASSED_HEADERS = [
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-request-id',
  // The official SDK reads it from the final status answer (`creditsUsed`).
  'x-fashn-credits-used',
];
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // The advertisement: this proxy remembers Idempotency-Keys of runs (see README, "The proxy").
  [IDEMPOTENCY_SUPPORT_HEADER]: 'run',
});
/** Connection failures that happen before a request can have left: nothing reached FASHN. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const OUTCOME_UNKNOWN_MESSAGE =
  'The run was sent to FASHN but its answer was lost, so it may have started. ' +
  'It is not sent again: start a new run (with a new Idempotency-Key) to try again.';
/** Why a client's Idempotency-Key is refused (POST and GET `…/run`). */
const KEY_RULE = "Idempotency-Key: must be 8 to 128 letters, digits, '-' or '_'.";
/** Never aborts: a keyed run is seen through to FASHN's answer even if its client leaves. */
const NEVER = new AbortController().signal;
const REDACTED = '[redacted]';
/** Statuses worth holding a long-poll for. */
const PENDING: ReadonlySet<string> = new Set(PENDING_STATUSES);
/** Longest `wait` accepted as a number at all (about 11 days); the hold is capped far lower. */
const WAIT_PATTERN = /^\d{1,9}$/;

/** The proxy as a function from call to answer (never rejects), with its shutdown. */
export interface ProxyCore {
  (call: ProxyCall): Promise<ProxyAnswer>;
  /** Resolves once this instance hears completions published by others (shared store). */
  readonly ready: Promise<void>;
  /** Answers every held long-poll with the latest status and stops polling FASHN. */
  close(): Promise<void>;
}

export function createProxyCore(config: ResolvedOptions, upstream: Upstream): ProxyCore {
  const { apiKey, now, store } = config;
  const completions = createCompletions(store);
  const upstreamHeaders: Readonly<Record<string, string>> = Object.freeze({
    Authorization: `Bearer ${apiKey}`,
    'Content-Type': 'application/json',
    Accept: 'application/json',
  });
  const watcher = createStatusWatcher<Upstreamed>({
    poll: (id, signal) => callUpstream(`/status/${id}`, 'GET', undefined, signal),
    statusOf: statusIn,
    planOf: (id) => completions.planOf(id).catch(() => undefined),
    intervalMs: config.longPollIntervalMs,
    // Polled to the end here: tell the other instances' holds (and later requests).
    onFinal: (id, answer) => {
      if (answer.ok) void completions.publishFinal(id, answer).catch(() => undefined);
    },
    now,
    sleep: config.sleep,
  });
  const ready = completions
    .listen((id, answer) => watcher.release(id, answer))
    .catch(
      () => undefined, // without fan-out, holds still end by polling
    );

  const scrub = keyScrubber(apiKey, REDACTED);
  const runOnce = createRunOnce<Upstreamed>({
    store: config.idempotencyStore,
    ttlMs: config.idempotencyTtlMs,
    now,
    sleep: config.sleep,
    pendingLimitMs: config.upstreamTimeoutMs + 5_000,
  });

  function logLine(method: string, route: Route | undefined, outcome: Outcome, started: number) {
    if (!config.log) return;
    const kind = route ? (route.kind === 'invalid-id' ? route.endpoint : route.kind) : 'other';
    const parts = [method, kind, outcome.model ?? '-', String(outcome.answer.status)];
    if (outcome.note) parts.push(outcome.note);
    parts.push(`${Math.round(now() - started)}ms`);
    try {
      config.log(scrub(parts.join(' ')));
    } catch {
      // A broken logger must not break the shopper's request.
    }
  }

  /** One request to FASHN with the key; `cancel` is the client going away. */
  async function callUpstream(
    path: string,
    method: 'GET' | 'POST',
    body: string | undefined,
    cancel: AbortSignal,
  ): Promise<Upstreamed> {
    const kind: AnswerKind = path.startsWith('/run')
      ? 'run'
      : path.startsWith('/cancel')
        ? 'cancel'
        : 'status';
    const controller = new AbortController();
    const { signal } = controller;
    let timedOut = false;
    let answered = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, config.upstreamTimeoutMs);
    const onCancel = () => controller.abort();
    if (cancel.aborted) controller.abort();
    else cancel.addEventListener('abort', onCancel, { once: true });
    try {
      const response = await upstream({
        url: `${config.upstream}${path}`,
        method,
        headers: upstreamHeaders,
        body,
        signal,
      });
      answered = true;
      if (response.status >= 300 && response.status < 400) {
        response.discard();
        return failure(
          502,
          'BadGateway',
          `FASHN answered with an unexpected redirect (HTTP ${response.status}).`,
        );
      }
      const headers: Record<string, string> = {};
      for (const name of PASSED_HEADERS) {
        const value = response.header(name);
        if (value !== null && scrub(value) === value) headers[name] = value;
      }
      const text = await response.text(config.maxUpstreamBytes);
      const rebuilt = rebuildAnswer(kind, response.status, text, scrub);
      if (rebuilt.ok) {
        const text = JSON.stringify(rebuilt.body);
        return { ok: true, status: response.status, headers, text, read: rebuilt.read };
      }
      if (response.status === 429) {
        // A rate limit in front of FASHN answers HTML: the status and Retry-After still count.
        const body = { error: 'RateLimitExceeded', message: 'FASHN is busy; try again shortly.' };
        return { ok: true, status: 429, headers, text: JSON.stringify(body) };
      }
      return failure(
        502,
        'BadGateway',
        `FASHN answered HTTP ${response.status} with something other than its JSON protocol.`,
      );
    } catch (error) {
      if (error instanceof AnswerTooLarge) {
        return failure(
          502,
          'BadGateway',
          `FASHN's answer is over the proxy's limit of ${config.maxUpstreamBytes} bytes.`,
        );
      }
      if (timedOut) {
        return failure(
          504,
          'UpstreamTimeout',
          `FASHN did not answer within ${config.upstreamTimeoutMs} ms; try again.`,
        );
      }
      const sent = answered || !neverSent(error);
      return failure(502, 'BadGateway', 'FASHN could not be reached; try again.', sent);
    } finally {
      clearTimeout(timer);
      cancel.removeEventListener('abort', onCancel);
    }
  }

  /** Sends a run and says what became of it. */
  async function sendRun(
    text: string,
    model: string,
    inputs: DurationInputs,
    cancel: AbortSignal,
  ): Promise<Sent<Upstreamed>> {
    // Webhook mode: FASHN calls back on a URL only it knows (see webhook.ts).
    const token = config.publicUrl ? newWebhookToken() : undefined;
    if (token) {
      try {
        await reserveWebhookToken(store, token);
      } catch {
        const message = 'The proxy could not reach its store; nothing was sent, try again.';
        return { kind: 'refused', answer: failure(502, 'BadGateway', message, false) };
      }
    }
    const path = token && config.publicUrl ? runPathWithWebhook(config.publicUrl, token) : '/run';
    const startedAt = now();
    const result = await callUpstream(path, 'POST', text, cancel);
    await rememberRun(result, inputs, model, startedAt, token);
    const sent = runOutcome(result);
    // Nothing started, so no callback can come: the reserved token goes at once.
    if (token && sent.kind === 'refused') await dropWebhookToken(store, token).catch(() => {});
    return sent;
  }

  /** What FASHN's answer to a run says became of it. */
  function runOutcome(result: Upstreamed): Sent<Upstreamed> {
    if (!result.ok) return result.sent ? { kind: 'unknown' } : { kind: 'refused', answer: result };
    // FASHN's own 5xx (or a gateway's before it) says nothing about whether the run started:
    // like a lost answer, the key stays held and nothing is sent again by itself.
    if (result.status >= 500) return { kind: 'unknown' };
    const id = result.read?.id;
    // A 2xx that carries `{ error }` instead of an id is a refusal: nothing started.
    if (result.status >= 200 && result.status < 300 && id !== undefined)
      return { kind: 'started', id, answer: result };
    return { kind: 'refused', answer: result };
  }

  /** The answer for what became of a run. */
  function runAnswer(result: RunOnceResult<Upstreamed>, cors: Record<string, string>): Outcome {
    switch (result.kind) {
      case 'started':
        return result.answer
          ? answerFrom(result.answer, cors)
          : {
              answer: {
                status: 200,
                headers: { ...JSON_HEADERS, ...cors },
                body: JSON.stringify({ id: result.id, error: null }),
              },
              note: 'replayed',
            };
      case 'refused':
        return answerFrom(result.answer, cors);
      case 'unknown':
        return fail(502, RUN_OUTCOME_UNKNOWN, OUTCOME_UNKNOWN_MESSAGE, cors);
      case 'reused':
        return fail(
          422,
          'IdempotencyKeyReused',
          'This Idempotency-Key was used for another run body; use a new key for a new run.',
          cors,
        );
      case 'not-found':
        return fail(
          404,
          IDEMPOTENCY_KEY_UNKNOWN,
          'This proxy holds no run under this Idempotency-Key: it never arrived, or the proxy forgot it (a restart). Nothing was sent now.',
          cors,
        );
    }
  }

  /** `GET …/run` with `Idempotency-Key`: what became of that run, never sending one. */
  async function lookup(call: ProxyCall, key: string, cors: Record<string, string>) {
    return runAnswer(await runOnce.lookup(key, call.signal), cors);
  }

  async function run(call: ProxyCall, cors: Record<string, string>): Promise<Outcome> {
    const queryRefusal = checkRunQuery(call.search);
    if (queryRefusal) {
      await call.body?.discard();
      return fail(400, 'BadRequest', queryRefusal, cors);
    }
    const key = call.header('idempotency-key');
    if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
      await call.body?.discard();
      return fail(400, 'BadRequest', KEY_RULE, cors);
    }
    // The shape is checked as the body streams in: a deep or huge document is refused at
    // its first chunk, before JSON.parse (which would block everyone else) or the rest.
    const body = await readTextWithin(
      call.body,
      config.maxBodyBytes,
      config.bodyTimeoutMs,
      jsonShapeScanner(RUN_BODY_LIMITS),
    );
    if (!body.ok) {
      switch (body.reason) {
        case 'too-large':
          return fail(
            413,
            'PayloadTooLarge',
            `The request body is over the limit of ${config.maxBodyBytes} bytes.`,
            cors,
          );
        case 'refused':
          return fail(
            400,
            'BadRequest',
            `The request body is ${body.problem}; a run body is not.`,
            cors,
          );
        case 'too-slow':
          return fail(
            408,
            'RequestTimeout',
            `The request body did not arrive within ${config.bodyTimeoutMs} ms.`,
            cors,
          );
        default:
          return fail(400, 'BadRequest', 'The request body is not valid JSON.', cors);
      }
    }
    const sdk = withoutSdkOptions(body.text);
    if (!sdk.ok) return fail(400, 'BadRequest', sdk.message, cors);
    const checked = checkRunBody(sdk.text, config.models);
    if (!checked.ok) {
      const refusal = fail(checked.status, checked.error, scrub(checked.message), cors);
      return { ...refusal, model: checked.modelName };
    }
    const problem = policyProblem(checked.inputs, config.policy);
    if (problem !== undefined) {
      return { ...fail(403, 'NotAllowedByShop', problem, cors), model: checked.modelName };
    }
    // The text that was checked is the text that is sent: no second copy of the images.
    const text = sdk.text;
    const model = checked.modelName;
    // The checked inputs, for the duration estimate: the body is not parsed a second time.
    const inputs = checked.inputs as DurationInputs;
    const result =
      key === null
        ? await sendRun(text, model, inputs, call.signal)
        : await runOnce.run(
            key,
            await fingerprintOf(text),
            () => sendRun(text, model, inputs, NEVER),
            call.signal,
          );
    return { ...runAnswer(result, cors), model };
  }

  /** Shares what a run taught: its schedule, its webhook token, whether credits are left. */
  async function rememberRun(
    result: Upstreamed,
    inputs: DurationInputs,
    model: string,
    startedAt: number,
    token: string | undefined,
  ): Promise<void> {
    if (!result.ok) return;
    try {
      await learnCredits(store, result.status, result.text);
      const id = result.status === 200 ? result.read?.id : undefined;
      if (id === undefined) return;
      await Promise.all([
        completions.started(id, model as ModelName, inputs, {
          startedAt,
          webhook: token !== undefined,
        }),
        token ? bindWebhookToken(store, token, id) : undefined,
      ]);
    } catch {
      // A store failure costs schedule precision or a webhook, never the shopper's run.
    }
  }

  async function webhook(call: ProxyCall, token: string | undefined): Promise<Outcome> {
    if (call.method !== 'POST' || token === undefined) {
      return fail(404, 'NotFound', 'Unknown or spent webhook.', {});
    }
    const outcome = await receiveWebhook(token, call.body, {
      store,
      completions,
      confirm: (id) => callUpstream(`/status/${id}`, 'GET', undefined, call.signal),
      scrub,
    });
    if (outcome.status !== 200) {
      return {
        ...fail(outcome.status, outcome.error ?? 'BadRequest', outcome.message ?? '', {}),
        note: outcome.note,
      };
    }
    return {
      answer: { status: 200, headers: { ...JSON_HEADERS }, body: '{"ok":true}' },
      note: outcome.note,
    };
  }

  async function status(
    call: ProxyCall,
    id: string,
    started: number,
    cors: Record<string, string>,
  ): Promise<Outcome> {
    const wait = waitIn(call.search);
    if (wait === undefined) {
      return fail(400, 'BadRequest', 'wait: must be a whole number of milliseconds.', cors);
    }
    // Final and known (here, or from a webhook or another instance's poll): FASHN is not
    // asked again, and what this instance holds needs no trip to the store either.
    const watched = watcher.latest(id);
    if (watched && isFinalStatus(statusIn(watched) ?? '')) return answerFrom(watched, cors);
    const final = await completions.finalOf(id).catch(() => undefined);
    if (final) return answerFrom(final, cors);
    const holdMs = Math.min(wait, config.longPollMaxMs);
    // A prediction already watched: its latest answer is the starting point, at no cost.
    const known = holdMs > 0 ? watcher.latest(id) : undefined;
    const first = known ?? (await callUpstream(`/status/${id}`, 'GET', undefined, call.signal));
    if (!known) watcher.observe(id, first);
    const firstStatus = holdMs > 0 ? statusIn(first) : undefined;
    if (firstStatus === undefined || !PENDING.has(firstStatus)) {
      return answerFrom(first, cors);
    }
    const latest = await watcher.hold({
      id,
      first,
      firstStatus,
      deadline: started + holdMs,
      signal: call.signal,
    });
    return answerFrom(latest, cors);
  }

  /** The 429 when the client's bucket lacks `cost` tokens, else `undefined`. */
  async function rateLimited(
    call: ProxyCall,
    cost: number,
    cors: Record<string, string>,
  ): Promise<Outcome | undefined> {
    if (!config.rateLimit) return undefined;
    const { capacity, refillPerSecond } = config.rateLimit;
    const key = config.clientKey
      ? config.clientKey(call.toRequest())
      : clientKeyFromHeaders(call.header);
    // Once per client request: a held long-poll's upstream polls are not counted.
    const decided = await config.rateLimitStore.take(key, cost, capacity, refillPerSecond, now());
    if (decided.allowed) return undefined;
    const seconds = Math.max(1, Math.ceil(decided.retryAfterMs / 1000));
    return fail(429, 'RateLimitExceeded', `Too many requests; try again in ${seconds} s.`, {
      ...cors,
      'Retry-After': String(seconds),
    });
  }

  async function handle(call: ProxyCall, route: Route | undefined, started: number) {
    if (!hostAllowed(new URL(call.selfOrigin()).host, config.hosts)) {
      await call.body?.discard();
      return fail(
        403,
        'HostNotAllowed',
        'This proxy does not answer for this host name; see allowHosts.',
        {},
      );
    }
    const decision = checkOrigin(call.header('origin'), call.selfOrigin, config.origins);
    if (decision.kind === 'refused') {
      return fail(
        403,
        'OriginNotAllowed',
        'This origin may not use this proxy.',
        corsHeaders(decision),
      );
    }
    const cors = corsHeaders(decision);
    const credits = !route && isCreditsPath(call.pathname);
    if (call.method === 'OPTIONS' && (route || credits)) {
      const headers = preflightHeaders(decision, call.header);
      return { answer: { status: 204, headers, body: null } };
    }
    if (credits && call.method === 'GET') {
      const refusal = await rateLimited(call, RATE_LIMIT_COSTS.credits, cors);
      if (refusal) return refusal;
      return {
        answer: {
          status: 200,
          headers: { ...JSON_HEADERS, ...cors },
          body: await creditsAnswer(store),
        },
      };
    }
    const lookupKey =
      route?.kind === 'run' && call.method === 'GET' ? call.header('idempotency-key') : null;
    if (
      !route ||
      !acceptsMethod(route, call.method) ||
      (route.kind === 'run' && call.method === 'GET' && lookupKey === null)
    ) {
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
    const cost = lookupKey === null ? RATE_LIMIT_COSTS[route.kind] : RATE_LIMIT_COSTS.status;
    const refusal = await rateLimited(call, cost, cors);
    if (refusal) return refusal;
    switch (route.kind) {
      case 'run':
        if (lookupKey !== null) {
          if (!IDEMPOTENCY_KEY.test(lookupKey)) return fail(400, 'BadRequest', KEY_RULE, cors);
          return lookup(call, lookupKey, cors);
        }
        return run(call, cors);
      case 'status':
        return status(call, route.id, started, cors);
      case 'cancel':
        // FASHN documents cancel as GET /v1/cancel/{id}; the proxy's own clients may POST.
        return answerFrom(
          await callUpstream(`/cancel/${route.id}`, 'GET', undefined, call.signal),
          cors,
        );
    }
  }

  async function handleCall(call: ProxyCall): Promise<ProxyAnswer> {
    const started = now();
    let route: Route | undefined;
    let outcome: Outcome;
    try {
      route = matchPath(call.pathname);
      outcome = isWebhookPath(call.pathname)
        ? await webhook(call, webhookTokenIn(call.pathname))
        : await handle(call, route, started);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      outcome = fail(500, 'InternalServerError', 'The proxy failed; try again.', {});
      outcome.note = `InternalServerError (${name})`;
    }
    logLine(call.method, route, outcome, started);
    return outcome.answer;
  }

  return Object.assign(handleCall, {
    ready,
    async close() {
      watcher.close();
      await completions.stop().catch(() => undefined);
    },
  });
}

/** FASHN's answer (or our 502/504) with the caller's CORS headers. */
function answerFrom(result: Upstreamed, cors: Record<string, string>): Outcome {
  if (!result.ok) return fail(result.status, result.error, result.message, cors);
  return {
    answer: {
      status: result.status,
      headers: { ...JSON_HEADERS, ...cors, ...result.headers },
      body: result.text,
    },
    note: result.status >= 200 && result.status < 300 ? undefined : 'upstream',
  };
}

/** A failure to get FASHN's answer; `sent` unless the connection was never made. */
function failure(
  status: 502 | 504,
  error: 'BadGateway' | 'UpstreamTimeout',
  message: string,
  sent = true,
): Upstreamed {
  return { ok: false, status, error, message, sent };
}

/** Whether `error` (or a cause of it) says the connection was never made. */
function neverSent(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** A refusal in FASHN's error shape. */
function fail(
  status: number,
  error: string,
  message: string,
  headers: Record<string, string>,
): Outcome {
  return {
    answer: {
      status,
      headers: { ...JSON_HEADERS, ...headers },
      body: JSON.stringify({ error, message }),
    },
    note: error,
  };
}

/** The `status` of a 200 status answer, or `undefined` for anything else. */
function statusIn(result: Upstreamed): string | undefined {
  return result.ok && result.status === 200 ? result.read?.status : undefined;
}

/** `?wait=` in ms: 0 when absent, `undefined` when it is not a whole number. */
function waitIn(search: string): number | undefined {
  if (search === '' || search === '?') return 0;
  const wait = new URLSearchParams(search).get('wait');
  if (wait === null) return 0;
  return WAIT_PATTERN.test(wait) ? Number(wait) : undefined;
}
