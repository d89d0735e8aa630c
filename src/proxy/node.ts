/**
 * Node adapter: runs a web-standard `(Request) => Promise<Response>` handler
 * (the proxy, or the emulator) under `http.createServer`, Express, Connect or
 * Vite's dev server; and `createFashnProxyNodeHandler`, the proxy's fast path
 * on Node, which feeds `IncomingMessage`s to the proxy's core directly and
 * reaches FASHN over keep-alive `http.request` (no web `Request`/`Response`
 * per call, no undici). Both present a client's headers the same way (see
 * `headerPolicy`), and the rules are the core's on every path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { BodySource } from './body.js';
import { createProxyCore, type ProxyAnswer, type ProxyCall, type ProxyCore } from './core.js';
import { nodeUpstream } from './node-upstream.js';
import { resolveOptions, type FashnProxyOptions } from './options.js';
import { fetchUpstream } from './upstream.js';

export { createRedisStore, type RedisStore, type RedisStoreOptions } from './store/redis.js';

export interface NodeHandlerOptions {
  /**
   * Serve only paths under this prefix (e.g. `/api/fashn`); other requests go
   * to `next()` when there is one, else get 404. Default: every path.
   */
  basePath?: string;
  /**
   * Believe `X-Forwarded-For`, `X-Forwarded-Proto`, `X-Forwarded-Host`,
   * `Forwarded`, `X-Real-IP` and `CF-Connecting-IP`: set it only when a proxy
   * you run (nginx, a load balancer) sets them. Default `false`: they are
   * removed and `X-Forwarded-For` is set to the socket's address, so the
   * rate limit keys on the real peer and clients cannot pick their own bucket.
   */
  trustProxy?: boolean;
}

export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => Promise<void>;

/** Request headers Node deals with itself, or that describe one hop only. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'http2-settings',
]);

/** Headers only a trusted proxy in front may set. */
const FORWARDING = new Set([
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'forwarded',
  'x-real-ip',
  'cf-connecting-ip',
]);

/**
 * Adapts a web handler to Node's (req, res) — works with http.createServer and
 * as Express middleware (req, res, next). Streams request bodies (no double
 * copy of an 8 MB body). Mount it before any body parser: a body that
 * `express.json()` already consumed is re-serialised from `req.body`.
 * Never rejects. A handler that rejects gave no answer: under Express its error
 * goes to `next(err)`; otherwise the connection is dropped, which the client
 * sees as a network error (the emulator's `network` fault relies on this; the
 * proxy itself never rejects).
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): NodeHandler {
  const trustProxy = options.trustProxy ?? false;
  return mount(options.basePath, async (req, res, target) => {
    const response = await handler(toRequest(req, target, trustProxy, clientGone(res), true));
    await writeResponse(response, req, res);
  });
}

/**
 * The proxy for Node (`createFashnProxy`'s options plus `basePath` and
 * `trustProxy`), on the fast path: the same rules as `createFashnProxy`,
 * without building a web `Request` and `Response` per call, and, unless a
 * `fetch` is injected, talking to FASHN over keep-alive `http(s).request`.
 * Throws a TypeError for invalid options.
 */
export function createFashnProxyNodeHandler(
  options: FashnProxyOptions & NodeHandlerOptions,
): NodeHandler & Pick<ProxyCore, 'ready' | 'close'> {
  const { basePath, trustProxy = false, ...proxyOptions } = options;
  const config = resolveOptions(proxyOptions);
  const upstream = config.fetchInjected ? fetchUpstream(config.fetch) : nodeUpstream();
  const handle = createProxyCore(config, upstream);
  const handler = mount(basePath, async (req, res, target) => {
    const answer = await handle(nodeCall(req, res, target, trustProxy));
    writeAnswer(answer, req, res);
  });
  return Object.assign(handler, { ready: handle.ready, close: () => handle.close() });
}

/** `basePath`, Express's `next` and failures, the same for both handlers. */
function mount(
  basePath: string | undefined,
  serve: (req: IncomingMessage, res: ServerResponse, target: string) => Promise<void>,
): NodeHandler {
  const base = normaliseBasePath(basePath);
  return async function nodeHandler(req, res, next) {
    try {
      // Express strips its mount path from req.url; the full path stays in originalUrl.
      const target = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
      if (base && !isUnder(pathOf(target), base)) {
        if (next) next();
        else writeNotFound(res);
        return;
      }
      await serve(req, res, target);
    } catch (error) {
      if (next && !res.headersSent) next(error);
      else res.destroy();
    }
  };
}

/** A signal that aborts when the client goes away before the answer is written. */
function clientGone(res: ServerResponse): AbortSignal {
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  return abort.signal;
}

/** How a client's header reaches the handler: as sent, as the socket's address, or not at all. */
function headerPolicy(name: string, trustProxy: boolean): 'keep' | 'socket' | 'drop' {
  if (HOP_BY_HOP.has(name) || name.startsWith(':')) return 'drop';
  if (trustProxy || !FORWARDING.has(name)) return 'keep';
  // Untrusted: the rate limit keys on the real peer, so clients cannot pick their own bucket.
  return name === 'x-forwarded-for' ? 'socket' : 'drop';
}

/** The request as the proxy's core reads it: no web objects, headers looked up on demand. */
function nodeCall(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  trustProxy: boolean,
): ProxyCall {
  // Parsed like the web path parses `request.url`, so both see the same path.
  const url = new URL(requestUrl(req, target, trustProxy));
  const signal = clientGone(res);
  const method = req.method ?? 'GET';
  return {
    method,
    pathname: url.pathname,
    search: url.search,
    header(name) {
      const policy = headerPolicy(name, trustProxy);
      if (policy === 'drop') return null;
      if (policy === 'socket') return req.socket.remoteAddress ?? null;
      const value = req.headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
    selfOrigin: () => url.origin,
    signal,
    body: method === 'GET' || method === 'HEAD' ? null : nodeBody(req),
    toRequest: () => toRequest(req, target, trustProxy, signal, false),
  };
}

/** The request body, chunk by chunk as the socket delivers it (or as a body parser left it). */
function nodeBody(req: IncomingMessage): BodySource {
  const consumed = consumedBody(req);
  if (consumed !== undefined) {
    let chunk: Uint8Array | undefined =
      typeof consumed === 'string' ? Buffer.from(consumed) : consumed;
    return {
      declaredLength: null,
      read: () => {
        const next = chunk;
        chunk = undefined;
        return Promise.resolve(next);
      },
      discard: () => Promise.resolve(),
    };
  }
  let chunks: AsyncIterator<Buffer> | undefined;
  return {
    declaredLength: req.headers['content-length'] ?? null,
    async read() {
      // Not destroyed when we stop early: the client must still receive the refusal.
      chunks ??= req.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
      const { done, value } = (await chunks.next()) as IteratorResult<Buffer, undefined>;
      return done ? undefined : value;
    },
    async discard() {
      // Not read on: the answer closes the connection instead (see writeAnswer), so a
      // refused upload stops costing bandwidth and time at once.
      await chunks?.return?.();
    },
  };
}

/**
 * Writes the core's answer in one go, with its length. A body left unread (a
 * refusal before or while reading it) is not drained: the connection closes.
 */
function writeAnswer(
  { status, headers: answerHeaders, body }: ProxyAnswer,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (res.destroyed) return; // the client is gone
  const headers = req.complete ? answerHeaders : { ...answerHeaders, Connection: 'close' };
  if (body === null) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** The request as a web `Request`; `withBody: false` leaves the body in the socket. */
function toRequest(
  req: IncomingMessage,
  target: string,
  trustProxy: boolean,
  signal: AbortSignal,
  withBody: boolean,
): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    if (headerPolicy(name, trustProxy) !== 'keep') continue;
    try {
      headers.append(name, value);
    } catch {
      // A header undici refuses is not one the handler needs.
    }
  }
  if (headerPolicy('x-forwarded-for', trustProxy) === 'socket' && req.socket.remoteAddress) {
    headers.set('x-forwarded-for', req.socket.remoteAddress);
  }

  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (withBody && method !== 'GET' && method !== 'HEAD') {
    const consumed = consumedBody(req);
    if (consumed !== undefined) {
      init.body = consumed;
      headers.delete('content-length');
    } else {
      init.body = bodyStream(req);
      init.duplex = 'half';
    }
  }
  return new Request(requestUrl(req, target, trustProxy), init);
}

function requestUrl(req: IncomingMessage, target: string, trustProxy: boolean): string {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  let protocol = encrypted ? 'https' : 'http';
  let host = req.headers.host ?? '';
  if (trustProxy) {
    const forwardedProto = firstValue(req.headers['x-forwarded-proto']);
    if (forwardedProto === 'http' || forwardedProto === 'https') protocol = forwardedProto;
    host = firstValue(req.headers['x-forwarded-host']) || host;
  }
  if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host)) host = 'localhost';
  // An absolute-form target (`GET http://host/path`) keeps only its path.
  let path = target;
  if (!path.startsWith('/')) {
    try {
      const url = new URL(path);
      path = url.pathname + url.search;
    } catch {
      path = '/';
    }
  }
  // Concatenated, not resolved: a `//other.host/…` path must stay a path.
  return `${protocol}://${host}${path}`;
}

/** A body a middleware before us (express.json, express.raw, ...) has already read. */
function consumedBody(req: IncomingMessage): string | Uint8Array<ArrayBuffer> | undefined {
  const parsed = (req as { body?: unknown }).body;
  if (parsed === undefined || !req.readableEnded) return undefined;
  if (typeof parsed === 'string') return parsed;
  if (parsed instanceof Uint8Array) return parsed as Uint8Array<ArrayBuffer>;
  return JSON.stringify(parsed);
}

/**
 * The request as a web stream, chunk by chunk with backpressure. Canceling it
 * (the handler refused the body) stops reading: the rest is not drained, and
 * the answer closes the connection instead (see `writeResponse`), so the client
 * still receives the refusal and a refused upload stops costing at once.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  const listeners: { data?: (chunk: Buffer) => void } = {};
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        listeners.data = (chunk: Buffer) => {
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        };
        req.on('data', listeners.data);
        req.once('end', () => {
          if (settled) return;
          settled = true;
          controller.close();
        });
        req.once('close', () => {
          if (settled) return;
          settled = true;
          controller.error(new Error('The client closed the connection before sending its body'));
        });
        req.once('error', (error) => {
          if (settled) return;
          settled = true;
          controller.error(error);
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        settled = true;
        if (listeners.data) req.off('data', listeners.data);
        req.pause();
      },
    },
    { highWaterMark: 1 },
  );
}

async function writeResponse(
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  // A body the handler did not read to its end is not drained: the connection closes.
  if (!req.complete) res.setHeader('Connection', 'close');
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (response.body === null || req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
}

function writeNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ error: 'NotFound', message: 'No such endpoint.' }));
}

function normaliseBasePath(basePath: string | undefined): string | undefined {
  if (basePath === undefined) return undefined;
  const trimmed = `/${basePath.replace(/^\/+|\/+$/g, '')}`;
  return trimmed === '/' ? undefined : trimmed;
}

function isUnder(path: string, basePath: string): boolean {
  return path === basePath || path.startsWith(`${basePath}/`);
}

function pathOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

function firstValue(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(',')[0]?.trim() ?? '';
}
