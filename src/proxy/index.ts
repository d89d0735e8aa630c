/**
 * The reference proxy between `<fashn-try-on>` and FASHN's API: a web-standard
 * `(Request) => Promise<Response>` handler (Node 20+, Next.js route handlers,
 * Cloudflare Workers, Deno, Bun), so no `node:*` import belongs here.
 *
 * It adds `Authorization: Bearer <key>` to three endpoints and refuses, before
 * anything reaches FASHN, whatever a shop would not want to pay for or expose:
 * other models, invalid inputs, foreign origins, huge bodies, floods. It can
 * hold `GET …/status/{id}?wait=<ms>` until the status changes (long-poll).
 * The rules themselves are in core.ts, shared with the Node adapter.
 */
import { webBodySource } from './body.js';
import { createProxyCore, type ProxyCall } from './core.js';
import { resolveOptions, type FashnProxyOptions } from './options.js';
import { fetchUpstream } from './upstream.js';

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
export { createMemoryStore } from './store/memory.js';
export type { ProxyStore } from './store/types.js';
export { PREDICTION_ID } from './routes.js';
export type { FashnProxyOptions } from './options.js';

/** The web handler, with what a server needs around it. */
export interface FashnProxyHandler {
  (request: Request): Promise<Response>;
  /** Resolves once this instance hears completions published by others (a shared store). */
  readonly ready: Promise<void>;
  /** On shutdown: answers every held long-poll with the latest status, stops polling FASHN. */
  close(): Promise<void>;
}

/**
 * Creates the proxy handler. It serves `POST …/run`, `GET …/status/:id` and
 * `POST …/cancel/:id` (also `GET`, as FASHN documents it) under any prefix,
 * answers CORS preflights, and refuses everything else with FASHN's error
 * shape `{ error, message }`. `GET …/status/:id?wait=<ms>` is held until the
 * prediction's status changes or the wait (capped by `longPollMaxMs`) is over.
 * Throws a TypeError for invalid options.
 */
export function createFashnProxy(options: FashnProxyOptions): FashnProxyHandler {
  const config = resolveOptions(options);
  const handle = createProxyCore(config, fetchUpstream(config.fetch));
  async function fashnProxy(request: Request): Promise<Response> {
    const { status, headers, body } = await handle(webCall(request));
    return new Response(body, { status, headers });
  }
  return Object.assign(fashnProxy, { ready: handle.ready, close: () => handle.close() });
}

function webCall(request: Request): ProxyCall {
  const url = new URL(request.url);
  return {
    method: request.method,
    pathname: url.pathname,
    search: url.search,
    header: (name) => request.headers.get(name),
    selfOrigin: () => url.origin,
    signal: request.signal,
    body: request.body ? webBodySource(request.body, request.headers.get('content-length')) : null,
    toRequest: () => request,
  };
}
export {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  createMemoryIdempotencyStore,
  type IdempotencyRecord,
  type IdempotencyStore,
} from './idempotency.js';
export type { ShopPolicy } from './policy.js';
