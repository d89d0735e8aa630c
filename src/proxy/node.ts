/**
 * Node adapter: runs a web-standard `(Request) => Promise<Response>` handler
 * (the proxy, or the emulator) under `http.createServer`, Express, Connect or
 * Vite's dev server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createFashnProxy, type FashnProxyOptions } from './index.js';

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
  const basePath = normaliseBasePath(options.basePath);
  const trustProxy = options.trustProxy ?? false;

  return async function nodeHandler(req, res, next) {
    try {
      // Express strips its mount path from req.url; the full path stays in originalUrl.
      const target = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
      if (basePath && !isUnder(pathOf(target), basePath)) {
        if (next) next();
        else writeNotFound(res);
        return;
      }
      const abort = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      const response = await handler(toRequest(req, target, trustProxy, abort.signal));
      await writeResponse(response, req, res);
    } catch (error) {
      if (next && !res.headersSent) next(error);
      else res.destroy();
    }
  };
}

/** `createFashnProxy(options)` under `toNodeHandler`, in one call. */
export function createFashnProxyNodeHandler(
  options: FashnProxyOptions & NodeHandlerOptions,
): ReturnType<typeof toNodeHandler> {
  const { basePath, trustProxy, ...proxyOptions } = options;
  return toNodeHandler(createFashnProxy(proxyOptions), { basePath, trustProxy });
}

function toRequest(
  req: IncomingMessage,
  target: string,
  trustProxy: boolean,
  signal: AbortSignal,
): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    if (HOP_BY_HOP.has(name) || name.startsWith(':')) continue;
    if (!trustProxy && FORWARDING.has(name)) continue;
    try {
      headers.append(name, value);
    } catch {
      // A header undici refuses is not one the handler needs.
    }
  }
  if (!trustProxy && req.socket.remoteAddress) {
    headers.set('x-forwarded-for', req.socket.remoteAddress);
  }

  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (method !== 'GET' && method !== 'HEAD') {
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
 * (the handler refused the body) drains the rest instead of destroying the
 * socket, so the client still receives the refusal.
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
        req.resume(); // discard what is left
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
