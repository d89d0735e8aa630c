/**
 * The Node adapter's transport to FASHN: `http(s).request` over keep-alive
 * agents, several times cheaper per request than undici's `fetch` (no web
 * streams, no `Request`/`Response` objects). The abort signal gets one plain
 * listener rather than `http.request`'s `signal` option, whose stream
 * bookkeeping costs more than the rest of a status request. Only a transport:
 * the rules are in core.ts. Like the fetch transport it never follows a
 * redirect (`http.request` never does).
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  AnswerTooLarge,
  type Upstream,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.js';

/**
 * Idle keep-alive sockets close after this long (undici's default too), before a
 * server would drop them under a request; a server's shorter `Keep-Alive` hint wins.
 */
const IDLE_SOCKET_MS = 4_000;
/** A large body goes out in slices of this many characters, so it is never encoded whole. */
const WRITE_SLICE = 64 * 1024;

interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** A transport with its own keep-alive connection pools (one per proxy). */
export function nodeUpstream(): Upstream {
  const agents: Agents = {
    http: new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  return (request) => send(request, agents);
}

function send(request: UpstreamRequest, agents: Agents): Promise<UpstreamResponse> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';
  const headers =
    request.body === undefined
      ? request.headers
      : { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) };
  return new Promise<UpstreamResponse>((resolve, reject) => {
    let answered = false;
    const options = { method: request.method, headers, agent: secure ? agents.https : agents.http };
    const req = secure ? httpsRequest(url, options) : httpRequest(url, options);
    const onAbort = () => req.destroy(signal.reason instanceof Error ? signal.reason : undefined);
    const done = () => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('response', (res) => {
      answered = true;
      resolve(responseOf(res, done));
    });
    req.on('error', (error) => {
      if (answered) return; // the body reader reports it
      done();
      // Not retried, even on a reused keep-alive socket: the caller sees a 502 and
      // retries if it wants to (FashnClient does, for status; a run is never sent twice).
      reject(signal.aborted ? signal.reason : error);
    });
    void writeBody(req, request.body);
  });
}

/** The answer; `done` is called once its body is read, thrown away, or lost. */
function responseOf(res: IncomingMessage, done: () => void): UpstreamResponse {
  res.once('close', done);
  return {
    status: res.statusCode ?? 0,
    header(name) {
      const value = res.headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text: (maxBytes) =>
      new Promise<string>((resolve, reject) => {
        if (Number(res.headers['content-length'] ?? '0') > maxBytes) {
          res.destroy();
          reject(new AnswerTooLarge(`answer over ${maxBytes} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total > maxBytes) {
            res.destroy();
            reject(new AnswerTooLarge(`answer over ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.once('error', reject);
        res.once('close', () => {
          if (!res.complete) reject(new Error('FASHN closed the connection mid-answer'));
        });
      }),
    discard: () => void res.resume(),
  };
}

/** Sends `body` in slices with backpressure, then ends the request. */
async function writeBody(req: ClientRequest, body: string | undefined): Promise<void> {
  if (body === undefined || body.length <= WRITE_SLICE) {
    req.end(body);
    return;
  }
  for (let start = 0; start < body.length && !req.destroyed;) {
    let end = Math.min(start + WRITE_SLICE, body.length);
    // Never split a surrogate pair: each half alone would be encoded as U+FFFD.
    if (end < body.length && isHighSurrogate(body.charCodeAt(end - 1))) end -= 1;
    const more = req.write(body.slice(start, end));
    start = end;
    if (!more && !(await drained(req))) return;
  }
  req.end();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Resolves `true` once `req` can take more, `false` if it closed first (error, abort). */
function drained(req: ClientRequest): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const done = (writable: boolean) => {
      req.off('drain', onDrain);
      req.off('close', onClose);
      resolve(writable);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    req.once('drain', onDrain);
    req.once('close', onClose);
  });
}
