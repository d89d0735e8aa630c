/**
 * The reference proxy against the FASHN emulator: what it forwards, what it
 * refuses before FASHN sees it, CORS, limits, timeouts, long-poll, and that
 * the API key never leaves the server. Every rule is tested on both fronts:
 * `web` (createFashnProxy, the emulator as its fetch) and `node`
 * (createFashnProxyNodeHandler over real sockets, reaching the emulator's
 * HTTP server with its own keep-alive client). The Node adapter's own
 * behaviour is tested over real sockets at the end.
 */
import assert from 'node:assert/strict';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import {
  createFashnEmulator,
  type EmulatorOptions,
  type FashnEmulator,
} from '../../src/emulator/index.js';
import {
  RATE_LIMIT_COSTS,
  createFashnProxy,
  createMemoryRateLimitStore,
  type FashnProxyOptions,
  type RateLimitStore,
} from '../../src/proxy/index.js';
import { createFashnProxyNodeHandler, toNodeHandler } from '../../src/proxy/node.js';
import { createMemoryStore } from '../../src/proxy/store/memory.js';

const KEY = 'fa-TEST-secret-key-0123456789abcdef';
const SHOP = 'https://shop.example';
const UPSTREAM = 'https://api.fashn.test/v1';

/**
 * A small, decodable JPEG as a data URL (the emulator draws its outputs from
 * the inputs), optionally followed by padding that decoders ignore after EOI.
 */
function jpegDataUrl(width = 48, height = 64, paddingBytes = 0): string {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 180;
    data[i + 1] = (i / 4) % 255;
    data[i + 2] = 90;
    data[i + 3] = 255;
  }
  const encoded = jpeg.encode({ data, width, height }, 80).data;
  const bytes = Buffer.concat([Buffer.from(encoded), Buffer.alloc(paddingBytes)]);
  return `data:image/jpeg;base64,${bytes.toString('base64')}`;
}
const PHOTO = jpegDataUrl();

const tryonBody = (inputs: Record<string, unknown> = {}) =>
  JSON.stringify({
    model_name: 'tryon-v1.6',
    inputs: {
      model_image: PHOTO,
      garment_image: PHOTO,
      return_base64: true,
      output_format: 'jpeg',
      ...inputs,
    },
  });

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** Fails the test when the key is anywhere in an answer. */
function assertNoKey(where: string, text: string): void {
  assert.ok(!text.includes(KEY), `the API key leaked in ${where}`);
}

type Front = 'web' | 'node';
const FRONTS: readonly Front[] = ['web', 'node'];

/** What the upstream (the emulator, as FASHN) received: URL as asked, and the body's bytes. */
interface Received {
  url: string;
  body: Buffer;
}

/** Servers of the `node` front, closed after each test. */
const openServers: Server[] = [];
async function closeOpenServers(): Promise<void> {
  await Promise.all(openServers.splice(0).map(closeServer));
}

/**
 * The proxy on `front`, in front of the emulator (as FASHN). `call(path)` asks it
 * as a browser on SHOP would: the `node` front trusts forwarding headers and is
 * told it is https://shop.example, so origins, client keys and URLs read the same.
 */
async function setup(
  front: Front,
  options: Partial<FashnProxyOptions> = {},
  emulatorOptions: EmulatorOptions = {},
) {
  const emulator = createFashnEmulator({ speed: 0.01, jitter: 0, apiKey: KEY, ...emulatorOptions });
  const received: Received[] = [];
  const logs: string[] = [];
  // A proxy deployed on the shop's own domain names it (the DNS-rebinding guard).
  const common = {
    apiKey: KEY,
    allowHosts: [new URL(SHOP).hostname],
    log: (line: string) => logs.push(line),
    ...options,
  };
  let upstream: string;
  let ask: (url: string, init: RequestInit & { duplex?: 'half' }) => Promise<Response>;

  if (front === 'web') {
    upstream = UPSTREAM;
    const proxy = createFashnProxy({
      ...common,
      upstream,
      // The emulator as FASHN, in process; what it was sent is kept to compare.
      fetch: async (input, init) => {
        const request = new Request(input, init);
        received.push({ url: request.url, body: Buffer.from(await request.clone().arrayBuffer()) });
        return emulator.handle(request);
      },
    });
    ask = (url, init) => proxy(new Request(url, init));
  } else {
    const emulatorHandler = toNodeHandler((request) => emulator.handle(request));
    const fashn = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        received.push({ url: `${base(fashn)}${req.url ?? ''}`, body });
        // Already read: toNodeHandler takes a parsed body as it is.
        Object.assign(req, { body });
        void emulatorHandler(req, res);
      });
    });
    openServers.push(fashn);
    upstream = `${await listen(fashn)}/v1`;
    // No fetch: the Node fast path reaches FASHN over its own keep-alive http.request.
    const handler = createFashnProxyNodeHandler({ ...common, upstream, trustProxy: true });
    const server = createServer((req, res) => void handler(req, res));
    openServers.push(server);
    const proxyBase = await listen(server);
    ask = (url, init) => {
      const headers = new Headers(init.headers);
      headers.set('x-forwarded-proto', 'https');
      headers.set('x-forwarded-host', new URL(SHOP).host);
      return fetch(url.replace(SHOP, proxyBase), { ...init, headers });
    };
  }

  async function call(path: string, init: RequestInit & { duplex?: 'half' } = {}): Promise<Answer> {
    const response = await ask(`${SHOP}${path}`, init);
    const text = await response.text();
    for (const [name, value] of response.headers) assertNoKey(`header ${name}`, value);
    assertNoKey('a body', text);
    let json: Record<string, unknown> = {};
    if (text) json = JSON.parse(text) as Record<string, unknown>;
    return { status: response.status, headers: response.headers, text, json };
  }

  const post = (
    path: string,
    body: string | Uint8Array<ArrayBuffer>,
    headers: Record<string, string> = {},
  ) =>
    call(path, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...headers },
    });

  /** Requests that reached the emulator's API endpoints. */
  const upstreamCalls = () =>
    emulator.requests.filter((r) => ['run', 'status', 'cancel'].includes(r.kind));
  /** URLs FASHN was asked, as sent (query included). */
  const upstreamUrls = () => received.map((r) => r.url);
  /** Status requests FASHN received for `id`. */
  const statusCalls = (id: string) =>
    emulator.requests.filter((r) => r.kind === 'status' && r.predictionId === id).length;

  return {
    emulator,
    call,
    post,
    logs,
    upstream,
    received,
    upstreamUrls,
    upstreamCalls,
    statusCalls,
  };
}

function base(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function pollUntilDone(call: (path: string) => Promise<Answer>, id: string): Promise<Answer> {
  for (let i = 0; i < 200; i++) {
    const answer = await call(`/api/fashn/status/${id}`);
    if (!['starting', 'in_queue', 'processing'].includes(String(answer.json.status))) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the prediction never finished');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (real time) until `condition` holds. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition never held');
    await pause(2);
  }
}

/** A promise that says whether it has settled. */
function settling<T>(promise: Promise<T>): { promise: Promise<T>; settled: boolean } {
  const tracked = { promise, settled: false };
  promise.then(
    () => (tracked.settled = true),
    () => (tracked.settled = true),
  );
  return tracked;
}

/** Fake-clock step of `advanceUntil`. */
const STEP_MS = 50;

/**
 * A clock that moves only when told: `sleep` resolves when `advance` passes its
 * time. Shared by the proxy (long-poll timing) and the emulator (statuses).
 */
function manualClock(start = Date.UTC(2025, 0, 1)) {
  let now = start;
  let timers: Array<{ at: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          timers = timers.filter((timer) => timer !== entry);
          reject(signal?.reason);
        };
        const entry = {
          at: now + ms,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(entry);
      }),
    /** Sleepers waiting on the clock. */
    get sleepers() {
      return timers.length;
    },
    /**
     * Moves the clock on and wakes whoever is due, then lets real I/O (sockets) run
     * until they are all asleep again or `done` holds (at most a real second).
     */
    async advance(ms: number, done: () => boolean = () => false) {
      const asleep = timers.length;
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.wake();
      const started = Date.now();
      do await pause(2);
      while (timers.length < asleep && !done() && Date.now() - started < 1_000);
    },
  };
}

/** Advances `clock` by STEP_MS at a time until `done` holds (at most a fake minute). */
async function advanceUntil(
  clock: ReturnType<typeof manualClock>,
  done: () => boolean,
): Promise<void> {
  for (let elapsed = 0; !done(); elapsed += STEP_MS) {
    if (elapsed > 60_000) throw new Error('still not done after a fake minute');
    await clock.advance(STEP_MS, done);
  }
}

for (const front of FRONTS) {
  describe(`forwarding to FASHN (${front})`, { timeout: 20_000 }, () => {
    afterEach(closeOpenServers);

    it('runs, polls and cancels through the proxy with the key added', async () => {
      const { post, call, emulator, logs, upstreamUrls, upstream } = await setup(front);
      const run = await post('/api/fashn/run', tryonBody());
      assert.equal(run.status, 200);
      assert.equal(typeof run.json.id, 'string');
      assert.equal(run.json.error, null);
      assert.equal(run.headers.get('content-type'), 'application/json');
      assert.equal(run.headers.get('cache-control'), 'no-store');
      const id = String(run.json.id);

      const done = await pollUntilDone(call, id);
      assert.equal(done.status, 200);
      assert.equal(done.json.status, 'completed');
      assert.ok(Array.isArray(done.json.output) && done.json.output.length === 1);
      assert.match(String((done.json.output as string[])[0]), /^data:image\//);

      const cancel = await call(`/api/fashn/cancel/${id}`, { method: 'POST' });
      assert.ok(cancel.status < 500, `cancel answered ${cancel.status}`);

      // The emulator demands the key, so a 200 means it was sent; these are FASHN's URLs.
      assert.equal(emulator.predictions.get(id)?.model, 'tryon-v1.6');
      const urls = upstreamUrls();
      assert.equal(urls[0], `${upstream}/run`);
      assert.equal(urls.at(-1), `${upstream}/cancel/${id}`);
      assert.ok(urls.includes(`${upstream}/status/${id}`));

      assert.match(logs[0] ?? '', /^POST run tryon-v1\.6 200 \d+ms$/);
      assert.match(logs[1] ?? '', /^GET status - 200 \d+ms$/);
      assert.match(logs.at(-1) ?? '', /^POST cancel - \d{3}( \w+)? \d+ms$/);
    });

    it('forwards the inputs exactly as sent, and only model_name and inputs', async () => {
      const { post, emulator } = await setup(front);
      const run = await post('/api/fashn/run', tryonBody({ seed: 7, category: 'tops' }));
      assert.equal(run.status, 200);
      const inputs = emulator.predictions.get(String(run.json.id))?.inputs;
      assert.deepEqual(Object.keys(inputs ?? {}).sort(), [
        'category',
        'garment_image',
        'model_image',
        'output_format',
        'return_base64',
        'seed',
      ]);
      assert.equal(inputs?.seed, 7);
    });

    it('matches the end of the path, so it mounts under any prefix', async () => {
      const { post, call } = await setup(front);
      const run = await post('/shop/v2/try-on/proxy/run/', tryonBody());
      assert.equal(run.status, 200);
      for (const prefix of ['', '/api/fashn', '/deep/prefix/x']) {
        const answer = await call(`${prefix}/status/${String(run.json.id)}`);
        assert.equal(answer.status, 200, prefix);
        assert.equal(answer.json.id, run.json.id);
      }
    });

    it('refuses a webhook_url with 400 and never forwards the query string', async () => {
      const { post, call, upstreamUrls } = await setup(front);
      const refused = await post(
        '/api/fashn/run?webhook_url=https%3A%2F%2Fevil.example%2Fhook',
        tryonBody(),
      );
      assert.equal(refused.status, 400);
      assert.match(String(refused.json.message), /^webhook_url: not accepted/);
      assert.equal(upstreamUrls().length, 0);
      const run = await post('/api/fashn/run?x=1', tryonBody());
      assert.equal(run.status, 200);
      await call(`/api/fashn/status/${String(run.json.id)}?webhook_url=https://evil.example`);
      assert.equal(upstreamUrls().length, 2);
      for (const url of upstreamUrls()) assert.ok(!url.includes('?') && !url.includes('evil'), url);
    });

    it("passes FASHN's API errors through with their status, body and Retry-After", async () => {
      const { post, call, emulator } = await setup(front);
      const body = { error: 'ConcurrencyLimitExceeded', message: 'Too many predictions in flight' };
      emulator.inject({ kind: 'run', status: 429, body, headers: { 'Retry-After': '3' } });
      const refused = await post('/api/fashn/run', tryonBody());
      assert.equal(refused.status, 429);
      assert.deepEqual(refused.json, body);
      assert.equal(refused.headers.get('retry-after'), '3');

      const unknown = await call('/api/fashn/status/no-such-prediction');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error, 'NotFound');
    });

    it('passes a failed prediction through as FASHN reports it', async () => {
      const { post, call, emulator } = await setup(front);
      emulator.inject({ kind: 'run', fail: { name: 'PoseError', message: 'No pose found' } });
      const run = await post('/api/fashn/run', tryonBody());
      const done = await pollUntilDone(call, String(run.json.id));
      assert.equal(done.status, 200);
      assert.equal(done.json.status, 'failed');
      assert.equal((done.json.error as { name: string }).name, 'PoseError');
    });

    it('answers 502 BadGateway when FASHN cannot be reached, and never follows a redirect', async () => {
      const { call, emulator, upstreamCalls } = await setup(front);
      emulator.inject({ kind: 'status', network: true });
      const unreachable = await call('/api/fashn/status/abc');
      assert.equal(unreachable.status, 502);
      assert.equal(unreachable.json.error, 'BadGateway');

      emulator.inject({
        kind: 'status',
        status: 302,
        headers: { Location: 'https://elsewhere.example/steal' },
      });
      const redirected = await call('/api/fashn/status/abc');
      assert.equal(redirected.status, 502);
      assert.equal(redirected.json.error, 'BadGateway');
      assert.equal(upstreamCalls().length, 2);
    });

    it('answers 504 UpstreamTimeout when FASHN is too slow', async () => {
      const { call, emulator, logs } = await setup(front, { upstreamTimeoutMs: 40 });
      emulator.inject({ kind: 'status', delayMs: 2000 });
      const slow = await call('/api/fashn/status/abc');
      assert.equal(slow.status, 504);
      assert.equal(slow.json.error, 'UpstreamTimeout');
      assert.match(logs[0] ?? '', /^GET status - 504 UpstreamTimeout \d+ms$/);
    });
  });

  describe(`refusals that never reach FASHN (${front})`, { timeout: 20_000 }, () => {
    afterEach(closeOpenServers);

    it('refuses models outside allowModels with 403 ModelNotAllowed', async () => {
      const { post, upstreamCalls } = await setup(front, { allowModels: ['tryon-v1.6'] });
      const other = await post(
        '/api/fashn/run',
        JSON.stringify({ model_name: 'product-to-model', inputs: {} }),
      );
      assert.equal(other.status, 403);
      assert.equal(other.json.error, 'ModelNotAllowed');
      const avatar = await post(
        '/api/fashn/run',
        JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: PHOTO } }),
      );
      assert.equal(avatar.status, 403);
      assert.equal(avatar.json.error, 'ModelNotAllowed');
      assert.equal(upstreamCalls().length, 0);
    });

    it('refuses malformed JSON and invalid inputs with 400 BadRequest naming the field', async () => {
      const { post, upstreamCalls, logs } = await setup(front);
      const cases: Array<[string, RegExp]> = [
        ['{"model_name": "tryon-v1.6", ', /not valid JSON/],
        ['[]', /JSON object/],
        [JSON.stringify({ inputs: {} }), /^model_name:/],
        [JSON.stringify({ model_name: 'tryon-v1.6' }), /^inputs: required/],
        [tryonBody({ seed: -1 }), /^inputs\.seed: must be at least 0/],
        [tryonBody({ num_samples: 9 }), /^inputs\.num_samples: must be at most 4/],
        [tryonBody({ category: 'hats' }), /^inputs\.category: must be one of/],
        [tryonBody({ garment_image: 'file:///etc/passwd' }), /^inputs\.garment_image:/],
        [tryonBody({ webhook_url: 'https://evil.example' }), /^inputs\.webhook_url: unknown key/],
        [
          JSON.stringify({
            model_name: 'tryon-v1.6',
            inputs: {},
            webhook_url: 'https://evil.example',
          }),
          /^webhook_url: not accepted/,
        ],
      ];
      for (const [body, message] of cases) {
        const answer = await post('/api/fashn/run', body);
        assert.equal(answer.status, 400, body.slice(0, 80));
        assert.equal(answer.json.error, 'BadRequest');
        assert.match(String(answer.json.message), message);
      }
      assert.equal(upstreamCalls().length, 0);
      assert.ok(logs.every((line) => / 400 BadRequest \d+ms$/.test(line)));
    });

    it('refuses prediction ids that could reach another upstream endpoint', async () => {
      const { call, upstreamCalls } = await setup(front);
      for (const id of [
        '..%2Frun',
        'a%2F..%2F..%2Fcredits',
        'abc%3Fwebhook_url%3Dx',
        'a.b',
        '%00',
        'x'.repeat(129),
      ]) {
        const answer = await call(`/api/fashn/status/${id}`);
        assert.equal(answer.status, 400, id);
        assert.equal(answer.json.error, 'BadRequest');
        assert.match(String(answer.json.message), /^id:/);
      }
      assert.equal(upstreamCalls().length, 0);
    });

    it('answers 404 NotFound for any other path or method', async () => {
      const { call, upstreamCalls } = await setup(front);
      const cases: Array<[string, string]> = [
        ['GET', '/api/fashn/run'],
        ['POST', '/api/fashn/status/abc'],
        ['PUT', '/api/fashn/cancel/abc'],
        ['POST', '/api/fashn/credits'],
        ['GET', '/api/fashn/status/../run'],
        ['POST', '/'],
      ];
      for (const [method, path] of cases) {
        const answer = await call(path, { method });
        assert.equal(answer.status, 404, `${method} ${path}`);
        assert.equal(answer.json.error, 'NotFound');
      }
      assert.equal(upstreamCalls().length, 0);
    });

    // A lying Content-Length or a pull-counted stream cannot cross a socket; the Node
    // adapter's own tests below cover both over HTTP.
    if (front === 'web') {
      it('refuses a body over the limit by Content-Length with 413 PayloadTooLarge', async () => {
        const { call, upstreamCalls } = await setup(front, { maxBodyBytes: 1024 });
        // A small body declaring a big one: refused on the declaration, before reading.
        const answer = await call('/api/fashn/run', {
          method: 'POST',
          body: '{}',
          headers: { 'Content-Type': 'application/json', 'Content-Length': String(5000) },
        });
        assert.equal(answer.status, 413);
        assert.equal(answer.json.error, 'PayloadTooLarge');
        assert.equal(upstreamCalls().length, 0);
      });

      it('refuses a streamed body without Content-Length once it passes the limit, without reading the rest', async () => {
        const { call, upstreamCalls } = await setup(front, { maxBodyBytes: 64 * 1024 });
        let chunksPulled = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            chunksPulled += 1;
            if (chunksPulled > 1000) controller.close();
            else controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
          },
        });
        const answer = await call('/api/fashn/run', { method: 'POST', body, duplex: 'half' });
        assert.equal(answer.status, 413);
        assert.equal(answer.json.error, 'PayloadTooLarge');
        assert.ok(chunksPulled < 20, `read ${chunksPulled} chunks of 16 KiB for a 64 KiB limit`);
        assert.equal(upstreamCalls().length, 0);
      });
    }

    it('accepts a body just under the limit', async () => {
      const body = tryonBody();
      const { post } = await setup(front, {
        maxBodyBytes: new TextEncoder().encode(body).byteLength,
      });
      assert.equal((await post('/api/fashn/run', body)).status, 200);
    });
  });

  describe(`rate limit (${front})`, { timeout: 20_000 }, () => {
    afterEach(closeOpenServers);

    it('answers 429 RateLimitExceeded with Retry-After, refilling with time', async () => {
      let now = 1_000_000;
      const { post, call, upstreamCalls } = await setup(front, {
        rateLimit: { capacity: RATE_LIMIT_COSTS.run, refillPerSecond: 1 },
        now: () => now,
      });
      assert.equal((await post('/api/fashn/run', tryonBody())).status, 200);
      const limited = await post('/api/fashn/run', tryonBody());
      assert.equal(limited.status, 429);
      assert.equal(limited.json.error, 'RateLimitExceeded');
      assert.equal(limited.headers.get('retry-after'), String(RATE_LIMIT_COSTS.run));
      assert.equal(upstreamCalls().length, 1);

      now += RATE_LIMIT_COSTS.status * 1000;
      assert.equal((await call('/api/fashn/status/abc')).status, 404); // reached FASHN: unknown id
      assert.equal((await call('/api/fashn/status/abc')).status, 429);
      now += RATE_LIMIT_COSTS.run * 1000;
      assert.equal((await post('/api/fashn/run', tryonBody())).status, 200);
    });

    it('lets a shopper poll far more often than they run', async () => {
      const { post, call } = await setup(front, {
        rateLimit: { capacity: 20, refillPerSecond: 1 },
        now: () => 0,
      });
      assert.equal((await post('/api/fashn/run', tryonBody())).status, 200);
      for (let i = 0; i < 20 - RATE_LIMIT_COSTS.run; i++) {
        assert.notEqual((await call('/api/fashn/status/abc')).status, 429, `poll ${i}`);
      }
      assert.equal((await call('/api/fashn/status/abc')).status, 429);
      assert.ok(RATE_LIMIT_COSTS.run > RATE_LIMIT_COSTS.status);
    });

    it('keeps one bucket per client, and can be switched off', async () => {
      const limited = await setup(front, {
        rateLimit: { capacity: RATE_LIMIT_COSTS.run, refillPerSecond: 1 },
        now: () => 0,
      });
      const poll = (ip: string) =>
        limited.call('/status/abc', { headers: { 'X-Forwarded-For': `${ip}, 10.0.0.1` } });
      for (let i = 0; i < RATE_LIMIT_COSTS.run / RATE_LIMIT_COSTS.status; i++) {
        assert.equal((await poll('203.0.113.1')).status, 404); // FASHN's answer: unknown id
      }
      assert.equal((await poll('203.0.113.1')).status, 429);
      assert.equal((await poll('203.0.113.2')).status, 404);

      // Far beyond the default bucket (60 tokens), nothing is limited when switched off.
      const unlimited = await setup(front, { rateLimit: false, now: () => 0 });
      for (let i = 0; i < 100; i++) {
        assert.equal((await unlimited.call('/status/abc')).status, 404);
      }
    });

    it('asks a custom store with the client key, cost and bucket', async () => {
      const taken: unknown[][] = [];
      const memory = createMemoryRateLimitStore();
      const store: RateLimitStore = {
        async take(...args: Parameters<RateLimitStore['take']>) {
          taken.push(args);
          return memory.take(...args);
        },
      };
      const { post, call } = await setup(front, {
        rateLimitStore: store,
        rateLimit: { capacity: 30, refillPerSecond: 2 },
        clientKey: (request) => request.headers.get('x-shopper') ?? 'nobody',
        now: () => 5,
      });
      await post('/run', tryonBody(), { 'X-Shopper': 's1' });
      await call('/status/abc', { headers: { 'X-Shopper': 's1' } });
      assert.deepEqual(taken, [
        ['s1', RATE_LIMIT_COSTS.run, 30, 2, 5],
        ['s1', RATE_LIMIT_COSTS.status, 30, 2, 5],
      ]);
    });
    it('fails closed with 500 when the rate-limit store fails', async () => {
      const { call, upstreamCalls, logs } = await setup(front, {
        rateLimitStore: {
          take: () => Promise.reject(new Error('redis is down')),
        },
      });
      const answer = await call('/status/abc');
      assert.equal(answer.status, 500);
      assert.equal(answer.json.error, 'InternalServerError');
      assert.doesNotMatch(answer.text, /redis/);
      assert.equal(upstreamCalls().length, 0);
      assert.match(logs[0] ?? '', /^GET status - 500 InternalServerError/);
    });
  });

  describe(`CORS and origins (${front})`, { timeout: 20_000 }, () => {
    afterEach(closeOpenServers);

    it('serves its own origin by default and refuses others with 403 and no CORS headers', async () => {
      const { post, upstreamCalls } = await setup(front);
      const own = await post('/run', tryonBody(), { Origin: SHOP });
      assert.equal(own.status, 200);
      assert.equal(own.headers.get('access-control-allow-origin'), SHOP);
      assert.equal(own.headers.get('vary'), 'Origin');

      const foreign = await post('/run', tryonBody(), { Origin: 'https://evil.example' });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.json.error, 'OriginNotAllowed');
      for (const [name] of foreign.headers) assert.ok(!name.startsWith('access-control-'), name);
      const opaque = await post('/run', tryonBody(), { Origin: 'null' });
      assert.equal(opaque.status, 403);
      assert.equal(upstreamCalls().length, 1);
    });

    it('serves requests without Origin, without CORS headers', async () => {
      const { call } = await setup(front, { allowOrigins: ['https://other.example'] });
      const answer = await call('/status/abc');
      assert.equal(answer.status, 404); // FASHN's own answer: it was served
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
    });

    it('allows exactly the configured origins, with credentials and Retry-After exposed', async () => {
      const { call } = await setup(front, {
        allowOrigins: ['https://a.example', 'http://localhost:5173/'],
      });
      for (const origin of ['https://a.example', 'http://localhost:5173']) {
        const answer = await call('/status/abc', { headers: { Origin: origin } });
        assert.equal(answer.status, 404, origin);
        assert.equal(answer.headers.get('access-control-allow-origin'), origin);
        assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
        assert.match(answer.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
      }
      for (const origin of [
        SHOP,
        'https://a.example.evil.example',
        'http://a.example',
        'https://a.example:8443',
      ]) {
        assert.equal(
          (await call('/status/abc', { headers: { Origin: origin } })).status,
          403,
          origin,
        );
      }
    });

    it("answers preflights for allowed origins, reflecting the page's headers", async () => {
      const { call, upstreamCalls } = await setup(front, { allowOrigins: ['https://a.example'] });
      const preflight = await call('/api/fashn/run', {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://a.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-csrf-token, X-Requested-With',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://a.example');
      assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
      assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.equal(
        preflight.headers.get('access-control-allow-headers'),
        'content-type, x-csrf-token, x-requested-with',
      );

      const refused = await call('/api/fashn/status/abc', {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://evil.example',
          'Access-Control-Request-Headers': 'x-csrf-token',
        },
      });
      assert.equal(refused.status, 403);
      for (const [name] of refused.headers) assert.ok(!name.startsWith('access-control-'), name);
      assert.equal((await call('/api/fashn/nothing', { method: 'OPTIONS' })).status, 404);
      assert.equal(upstreamCalls().length, 0);
    });

    it("sends '*' without credentials only when configured so", async () => {
      const { post } = await setup(front, { allowOrigins: '*' });
      const answer = await post('/run', tryonBody(), { Origin: 'https://anyone.example' });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), '*');
      assert.equal(answer.headers.get('access-control-allow-credentials'), null);
    });

    it('gives refusals the CORS headers an allowed page needs to read them', async () => {
      const { post, call } = await setup(front, {
        rateLimit: { capacity: RATE_LIMIT_COSTS.run, refillPerSecond: 1 },
        now: () => 0,
      });
      await post('/run', tryonBody(), { Origin: SHOP });
      const limited = await call('/status/abc', { headers: { Origin: SHOP } });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('access-control-allow-origin'), SHOP);
    });
  });

  describe(`the API key (${front})`, { timeout: 20_000 }, () => {
    afterEach(closeOpenServers);

    it('is redacted from FASHN answers that echo it, in bodies and headers', async () => {
      const { call, emulator, logs } = await setup(front);
      emulator.inject({
        kind: 'status',
        status: 401,
        body: {
          error: 'UnauthorizedAccess',
          message: `Invalid token: Authorization: Bearer ${KEY}`,
        },
        headers: {
          'X-Request-Id': `req-${KEY}`,
          'Set-Cookie': 'session=abc; Path=/',
          'WWW-Authenticate': `Bearer realm="${KEY}"`,
          'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
        },
      });
      const answer = await call('/api/fashn/status/abc');
      assert.equal(answer.status, 401);
      assert.equal(answer.json.error, 'UnauthorizedAccess');
      assert.match(String(answer.json.message), /Bearer \[redacted\]/);
      for (const name of [
        'set-cookie',
        'www-authenticate',
        'strict-transport-security',
        'x-request-id',
      ]) {
        assert.equal(answer.headers.get(name), null, name);
      }
      for (const line of logs) assertNoKey('the log', line);
    });

    it('never reaches the log, and neither does image data', async () => {
      const { post, call, logs } = await setup(front);
      const run = await post('/run', tryonBody());
      await pollUntilDone(call, String(run.json.id));
      await post(
        '/run',
        JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: PHOTO, seed: -5 } }),
      );
      await post('/run', JSON.stringify({ model_name: KEY, inputs: {} }));
      assert.ok(logs.length >= 4);
      for (const line of logs) {
        assertNoKey('the log', line);
        assert.ok(!line.includes('base64') && line.length < 120, line);
        assert.match(line, /^(GET|POST|OPTIONS) (run|status|cancel|other) \S+ \d{3}( \w+)? \d+ms$/);
      }
    });
  });

  describe(`run bodies (${front})`, { timeout: 20_000 }, () => {
    afterEach(closeOpenServers);

    it('forwards the run body byte for byte as the browser sent it', async () => {
      const { post, received, emulator } = await setup(front);
      // Spacing, escapes and key-like text inside a string, which a re-serialisation
      // would change, and a body long enough to be written upstream in slices, with a
      // surrogate pair (😀) straddling the first slice boundary (UTF-16 index 65536).
      const head = '{ "model_name" : "face-to-model",\n  "inputs": {"face_image": "';
      const middle = '",\n "prompt": "caf\\u00e9 café, say \\"seed\\": 1, \\"seed\\": 2 ';
      const tail = '😀", "seed": 7 } }\n';
      // Padding after the JPEG's end (ignored by decoders) sizes the photo, so that a
      // 100-character prompt reaches the emoji.
      const prefix = 'data:image/jpeg;base64,';
      const jpegBytes = Buffer.from(jpegDataUrl().slice(prefix.length), 'base64').length;
      const photoLength = 65_535 - head.length - middle.length - 100;
      const photo = jpegDataUrl(
        48,
        64,
        Math.floor(((photoLength - prefix.length) * 3) / 4) - jpegBytes,
      );
      const pad = 65_535 - head.length - photo.length - middle.length;
      assert.ok(pad >= 0 && pad <= 500, `pad ${pad}`);
      const body = `${head}${photo}${middle}${'x'.repeat(pad)}${tail}`;
      assert.equal(body.charCodeAt(65_535), 0xd83d); // the emoji's first half ends slice one

      const run = await post('/api/fashn/run', body);
      assert.equal(run.status, 200, run.text);
      assert.equal(received.length, 1);
      assert.ok(received[0].body.equals(Buffer.from(body, 'utf8')), 'FASHN got other bytes');
      assert.equal(emulator.predictions.get(String(run.json.id))?.inputs.face_image, photo);
    });

    it('refuses duplicate keys, which parsers read differently, naming the key', async () => {
      const { post, upstreamCalls } = await setup(front);
      const cases: Array<[string, RegExp]> = [
        [
          `{"model_name":"tryon-v1.6","model_name":"face-to-model","inputs":{"face_image":"${PHOTO}"}}`,
          /^model_name: duplicate key\.$/,
        ],
        [
          `{"model_name":"face-to-model","inputs":{"face_image":"${PHOTO}","seed":1,"se\\u0065d":2}}`,
          /^inputs\.seed: duplicate key\.$/,
        ],
        [
          `{"model_name":"face-to-model","inputs":{"face_image":"${PHOTO}","webhook_url":"https://evil.example"},"inputs":{"face_image":"${PHOTO}"}}`,
          /^inputs: duplicate key\.$/,
        ],
      ];
      for (const [body, message] of cases) {
        const answer = await post('/api/fashn/run', body);
        assert.equal(answer.status, 400, body.slice(0, 60));
        assert.equal(answer.json.error, 'BadRequest');
        assert.match(String(answer.json.message), message);
      }
      assert.equal(upstreamCalls().length, 0);
    });

    it('refuses a body that is not UTF-8 with 400 BadRequest', async () => {
      const { post, upstreamCalls } = await setup(front);
      const bytes = new Uint8Array([
        ...Buffer.from('{"model_name":"'),
        0xff,
        0xfe,
        ...Buffer.from('"}'),
      ]);
      const answer = await post('/api/fashn/run', bytes);
      assert.equal(answer.status, 400);
      assert.match(String(answer.json.message), /not valid JSON/);
      assert.equal(upstreamCalls().length, 0);
    });
  });

  describe(`long-poll: status/{id}?wait= (${front})`, { timeout: 20_000 }, () => {
    afterEach(closeOpenServers);

    /**
     * The proxy and the emulator on one manual clock: FASHN's face-to-model (12 s,
     * no jitter) is `starting` until 360 ms, `in_queue` until 1200 ms, then
     * `processing` until 12 000 ms. The proxy started it, so it polls FASHN on the
     * prediction's schedule: one sparse poll at ~5.75 s, then every 300 ms from 11.1 s.
     */
    async function holding(options: Partial<FashnProxyOptions> = {}) {
      const clock = manualClock();
      const proxy = await setup(
        front,
        { now: clock.now, sleep: clock.sleep, rateLimit: false, ...options },
        { now: clock.now, speed: 1 },
      );
      const run = await proxy.post(
        '/api/fashn/run',
        JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: PHOTO } }),
      );
      assert.equal(run.status, 200, run.text);
      const id = String(run.json.id);
      const createdAt = clock.now();
      /** Sends a status request; resolves once the proxy holds it (waits on the clock) or answered. */
      async function hold(query: string, init: RequestInit = {}) {
        const asleep = clock.sleepers;
        const answer = settling(proxy.call(`/api/fashn/status/${id}${query}`, init));
        await until(() => clock.sleepers > asleep || answer.settled);
        return answer;
      }
      return { ...proxy, clock, id, createdAt, hold };
    }

    it('holds the request until the status changes, then answers with it', async () => {
      const { clock, id, createdAt, hold, statusCalls } = await holding();
      await clock.advance(400); // in_queue
      const held = await hold('?wait=20000');
      await advanceUntil(clock, () => held.settled);
      const answer = await held.promise;
      assert.equal(answer.status, 200);
      assert.equal(answer.json.status, 'processing');
      assert.equal(answer.json.id, id);
      // Answered at the schedule's sparse poll, the first after processing began (fake clock).
      const at = clock.now() - createdAt;
      assert.ok(at >= 1200 && at <= 6_000 + 2 * STEP_MS, `answered at ${at} ms`);
      assert.equal(statusCalls(id), 2, 'the hold asks once, the schedule once');
    });

    it('answers with the latest status once the wait is over, never forwarding the query', async () => {
      const { clock, id, createdAt, hold, statusCalls, upstreamUrls } = await holding();
      await clock.advance(1300); // processing until 12 000 ms
      const sentAt = clock.now();
      const held = await hold('?wait=1000&webhook_url=https%3A%2F%2Fevil.example');
      await advanceUntil(clock, () => held.settled);
      const answer = await held.promise;
      assert.equal(answer.json.status, 'processing');
      assert.ok(clock.now() - sentAt >= 1000 && clock.now() - sentAt <= 1000 + STEP_MS);
      // Nothing can change before the schedule's next poll: the hold asked once.
      assert.equal(statusCalls(id), 1);
      assert.ok(clock.now() < createdAt + 12_000);
      for (const url of upstreamUrls()) assert.ok(!url.includes('?') && !url.includes('evil'), url);
    });

    it('caps the hold at longPollMaxMs, and answers at once when that is 0', async () => {
      const capped = await holding({ longPollMaxMs: 500 });
      await capped.clock.advance(1300);
      const sentAt = capped.clock.now();
      const held = await capped.hold('?wait=20000');
      await advanceUntil(capped.clock, () => held.settled);
      assert.equal((await held.promise).json.status, 'processing');
      const heldFor = capped.clock.now() - sentAt;
      assert.ok(heldFor >= 500 && heldFor <= 500 + STEP_MS, `held ${heldFor} ms`);

      const thin = await holding({ longPollMaxMs: 0 });
      await thin.clock.advance(400);
      const answer = await thin.call(`/api/fashn/status/${thin.id}?wait=20000`);
      assert.equal(answer.json.status, 'in_queue');
      assert.equal(thin.statusCalls(thin.id), 1);
    });

    it('answers a finished prediction at once', async () => {
      const { clock, id, call } = await holding();
      await clock.advance(12_500);
      const done = await call(`/api/fashn/status/${id}?wait=20000`);
      assert.equal(done.json.status, 'completed');
    });

    it('answers again a prediction it saw end from what it holds, asking neither FASHN nor the store', async () => {
      const store = createMemoryStore();
      const finalReads: string[] = [];
      const get = store.get.bind(store);
      store.get = (key) => {
        if (key.startsWith('final:')) finalReads.push(key);
        return get(key);
      };
      const { clock, id, call, statusCalls } = await holding({ store });
      await clock.advance(12_500);
      assert.equal((await call(`/api/fashn/status/${id}?wait=20000`)).json.status, 'completed');
      const asked = statusCalls(id);
      const reads = finalReads.length;
      assert.equal((await call(`/api/fashn/status/${id}`)).json.status, 'completed');
      assert.equal(statusCalls(id), asked);
      assert.equal(finalReads.length, reads);
    });

    it('stops polling FASHN when the client goes away', async () => {
      const { clock, id, hold, statusCalls } = await holding();
      await clock.advance(1300);
      const abort = new AbortController();
      const held = await hold('?wait=20000', { signal: abort.signal });
      await advanceUntil(clock, () => statusCalls(id) >= 2);
      abort.abort();
      // The browser's fetch fails; the web handler, given the aborted Request, ends the hold.
      if (front === 'node') await assert.rejects(held.promise, { name: 'AbortError' });
      else await held.promise;
      await pause(50); // the disconnect reaches the proxy
      const afterAbort = statusCalls(id);
      for (let i = 0; i < 30; i++) await clock.advance(500);
      assert.equal(statusCalls(id), afterAbort);
    });

    it('counts a held request once against the rate limit, however often it polls', async () => {
      const { clock, id, hold, call, statusCalls } = await holding({
        rateLimit: {
          capacity: RATE_LIMIT_COSTS.run + RATE_LIMIT_COSTS.status,
          refillPerSecond: 0.0001,
        },
      });
      await clock.advance(1300);
      const held = await hold('?wait=20000');
      await advanceUntil(clock, () => held.settled);
      assert.equal((await held.promise).json.status, 'completed');
      assert.ok(statusCalls(id) >= 4, `${statusCalls(id)} status requests to FASHN`);
      assert.equal((await call(`/api/fashn/status/${id}`)).status, 429);
    });

    it('shares one upstream poll between requests held for the same prediction', async () => {
      const { clock, id, hold, statusCalls, createdAt } = await holding();
      await clock.advance(400);
      const held = [
        await hold('?wait=20000'),
        await hold('?wait=20000'),
        await hold('?wait=20000'),
      ];
      // The first hold asked FASHN; the others start from the answer it got.
      const firstPolls = statusCalls(id);
      assert.equal(firstPolls, 1);
      await advanceUntil(clock, () => held.every((h) => h.settled));
      for (const h of held) assert.equal((await h.promise).json.status, 'processing');
      // One poll for all three, not three.
      assert.equal(statusCalls(id) - firstPolls, 1);
      assert.ok(clock.now() >= createdAt + 1200);
    });

    it('polls a prediction it did not start every longPollIntervalMs', async () => {
      const { clock, call, statusCalls, emulator } = await holding({ longPollIntervalMs: 500 });
      const direct = await emulator.handle(
        new Request('http://fashn.test/v1/run', {
          method: 'POST',
          headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: PHOTO } }),
        }),
      );
      const { id } = (await direct.json()) as { id: string };
      await clock.advance(1300);
      const sentAt = clock.now();
      const held = settling(call(`/api/fashn/status/${id}?wait=2000`));
      await advanceUntil(clock, () => held.settled);
      const polls = statusCalls(id);
      const expected = 1 + Math.floor((clock.now() - sentAt) / 500);
      assert.ok(Math.abs(polls - expected) <= 1, `${polls} polls, expected about ${expected}`);
    });

    it('refuses a wait that is not a whole number of milliseconds', async () => {
      const { call, id, statusCalls } = await holding();
      for (const wait of ['abc', '-5', '1.5', '', '1e4']) {
        const answer = await call(`/api/fashn/status/${id}?wait=${wait}`);
        assert.equal(answer.status, 400, wait);
        assert.match(String(answer.json.message), /^wait:/);
      }
      assert.equal(statusCalls(id), 0);
    });
  });
}

describe('proxy options', () => {
  it('is required, and other options are checked when the proxy is created', () => {
    assert.throws(() => createFashnProxy({ apiKey: '' }), /apiKey is required/);
    assert.throws(() => createFashnProxy({ apiKey: `${KEY}\n` }), /printable ASCII/);
    assert.throws(() => createFashnProxy({} as FashnProxyOptions), /apiKey is required/);
    assert.throws(
      () => createFashnProxy({ apiKey: KEY, allowModels: ['product-to-model'] }),
      /product-to-model/,
    );
    assert.throws(
      () => createFashnProxy({ apiKey: KEY, allowOrigins: ['https://a.example/path'] }),
      /exact origin/,
    );
    assert.throws(() => createFashnProxy({ apiKey: KEY, upstream: 'ftp://x' }), /upstream/);
    assert.throws(() => createFashnProxy({ apiKey: KEY, maxBodyBytes: 0 }), /maxBodyBytes/);
    assert.throws(
      () => createFashnProxy({ apiKey: KEY, rateLimit: { capacity: 1, refillPerSecond: 1 } }),
      /capacity/,
    );
    // A hold must end before the upstream timeout, and polling must not hammer FASHN.
    assert.throws(() => createFashnProxy({ apiKey: KEY, longPollMaxMs: 30_000 }), /longPollMaxMs/);
    assert.throws(() => createFashnProxy({ apiKey: KEY, longPollMaxMs: -1 }), /longPollMaxMs/);
    assert.throws(
      () => createFashnProxy({ apiKey: KEY, longPollIntervalMs: 10 }),
      /longPollIntervalMs/,
    );
    assert.doesNotThrow(() => createFashnProxy({ apiKey: KEY, upstreamTimeoutMs: 6_000 }));
    assert.throws(() => createFashnProxyNodeHandler({ apiKey: '' }), /apiKey is required/);
  });
});

describe('createMemoryRateLimitStore', () => {
  it('refills at the given rate up to capacity and says when to come back', async () => {
    const store = createMemoryRateLimitStore();
    assert.deepEqual(await store.take('a', 6, 10, 2, 0), { allowed: true, retryAfterMs: 0 });
    assert.deepEqual(await store.take('a', 6, 10, 2, 0), { allowed: false, retryAfterMs: 1000 });
    assert.deepEqual(await store.take('a', 6, 10, 2, 1000), { allowed: true, retryAfterMs: 0 });
    assert.equal((await store.take('b', 10, 10, 2, 1000)).allowed, true);
    // An idle client's bucket never holds more than capacity.
    assert.equal((await store.take('a', 10, 10, 2, 1_000_000)).allowed, true);
    assert.equal((await store.take('a', 1, 10, 2, 1_000_000)).allowed, false);
  });
});

// ---------------------------------------------------------------------------
// The Node adapter, over real sockets, with the emulator served over HTTP too.

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('Node adapter', { timeout: 20_000 }, () => {
  let emulator: FashnEmulator;
  let emulatorServer: Server;
  let upstream: string;
  const servers: Server[] = [];

  before(async () => {
    emulator = createFashnEmulator({ speed: 0.01, jitter: 0, apiKey: KEY });
    emulatorServer = createServer(toNodeHandler((request) => emulator.handle(request)));
    upstream = `${await listen(emulatorServer)}/v1`;
  });
  after(async () => {
    await Promise.all([...servers, emulatorServer].map(closeServer));
  });

  async function serve(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    return listen(server);
  }

  async function fetchText(url: string, init?: RequestInit & { duplex?: 'half' }) {
    const response = await fetch(url, init);
    const text = await response.text();
    for (const [name, value] of response.headers) assertNoKey(`header ${name}`, value);
    assertNoKey('a body', text);
    return { status: response.status, headers: response.headers, text };
  }

  it('serves the proxy under http.createServer, streaming a large body to FASHN over HTTP', async () => {
    const logs: string[] = [];
    const handler = createFashnProxyNodeHandler({
      apiKey: KEY,
      upstream,
      log: (line) => logs.push(line),
    });
    const base = await serve((req, res) => void handler(req, res));
    // A selfie-sized body: about 3 MB of base64 in face_image.
    const bigPhoto = jpegDataUrl(48, 64, 2 * 1024 * 1024);
    const body = JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: bigPhoto } });
    const run = await fetchText(`${base}/api/fashn/run`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: base },
      body,
    });
    assert.equal(run.status, 200, run.text);
    assert.equal(run.headers.get('access-control-allow-origin'), base);
    const id = (JSON.parse(run.text) as { id: string }).id;
    assert.equal(emulator.predictions.get(id)?.inputs.face_image, bigPhoto);
    const status = await fetchText(`${base}/api/fashn/status/${id}`);
    assert.equal(status.status, 200);
    assert.match(logs[0] ?? '', /^POST run face-to-model 200 \d+ms$/);
  });

  it('answers 413 to a chunked upload over the limit, and by Content-Length before reading', async () => {
    const handler = createFashnProxyNodeHandler({ apiKey: KEY, upstream, maxBodyBytes: 64 * 1024 });
    const base = await serve((req, res) => void handler(req, res));

    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 64) controller.close();
        else controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const chunked = await fetchText(`${base}/run`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
    });
    assert.equal(chunked.status, 413);
    assert.equal((JSON.parse(chunked.text) as { error: string }).error, 'PayloadTooLarge');

    // Declares 50 MB, sends 10 bytes, and waits: the answer comes without the body.
    const declared = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${base}/run`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(50 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write('{"model_na');
    });
    assert.equal(declared.status, 413);
    assert.match(declared.body, /PayloadTooLarge/);
  });

  it('keys the rate limit on the socket address unless trustProxy is set', async () => {
    const options = {
      apiKey: KEY,
      upstream,
      rateLimit: { capacity: RATE_LIMIT_COSTS.run, refillPerSecond: 0.001 },
    };
    const strict = createFashnProxyNodeHandler(options);
    const strictBase = await serve((req, res) => void strict(req, res));
    // Polls are cheap for FASHN; the bucket holds RATE_LIMIT_COSTS.run of them.
    const send = (base: string, ip: string) =>
      fetchText(`${base}/status/abc`, { headers: { 'X-Forwarded-For': ip } });
    for (let i = 0; i < RATE_LIMIT_COSTS.run; i++) {
      assert.equal((await send(strictBase, `198.51.100.${i}`)).status, 404, `poll ${i}`);
    }
    const spoofed = await send(strictBase, '198.51.100.99');
    assert.equal(spoofed.status, 429);
    assert.ok(Number(spoofed.headers.get('retry-after')) > 0);

    const trusting = createFashnProxyNodeHandler({ ...options, trustProxy: true });
    const trustingBase = await serve((req, res) => void trusting(req, res));
    for (let i = 0; i < RATE_LIMIT_COSTS.run + 1; i++) {
      assert.equal((await send(trustingBase, `198.51.100.${i}`)).status, 404, `poll ${i}`);
    }
  });

  it("hands the handler the socket's address, not the client's forwarding claims", async () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    const echo = async (request: Request) => {
      seen.push({ url: request.url, headers: Object.fromEntries(request.headers) });
      return new Response(null, { status: 204 });
    };
    const claims = {
      'X-Forwarded-For': '203.0.113.7',
      'X-Real-IP': '203.0.113.7',
      'CF-Connecting-IP': '203.0.113.7',
      Forwarded: 'for=203.0.113.7;proto=https',
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'shop.example',
    };
    const strict = toNodeHandler(echo);
    const strictBase = await serve((req, res) => void strict(req, res));
    await fetchText(`${strictBase}/api/fashn/status/abc?x=1`, { headers: claims });
    const trusting = toNodeHandler(echo, { trustProxy: true });
    const trustingBase = await serve((req, res) => void trusting(req, res));
    await fetchText(`${trustingBase}/api/fashn/status/abc`, { headers: claims });

    const [direct, proxied] = seen;
    assert.equal(direct?.url, `${strictBase}/api/fashn/status/abc?x=1`);
    assert.equal(direct?.headers['x-forwarded-for'], '127.0.0.1');
    for (const name of [
      'x-real-ip',
      'cf-connecting-ip',
      'forwarded',
      'x-forwarded-proto',
      'x-forwarded-host',
    ]) {
      assert.equal(direct?.headers[name], undefined, name);
    }
    assert.equal(proxied?.url, 'https://shop.example/api/fashn/status/abc');
    assert.equal(proxied?.headers['x-forwarded-for'], '203.0.113.7');
    assert.equal(proxied?.headers['cf-connecting-ip'], '203.0.113.7');
  });

  it('sees the public origin from X-Forwarded-Proto/Host only with trustProxy', async () => {
    const headers = {
      Origin: 'https://shop.example',
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'shop.example',
    };
    const plain = createFashnProxyNodeHandler({ apiKey: KEY, upstream });
    const plainBase = await serve((req, res) => void plain(req, res));
    assert.equal((await fetchText(`${plainBase}/status/abc`, { headers })).status, 403);

    const behindNginx = createFashnProxyNodeHandler({
      apiKey: KEY,
      upstream,
      trustProxy: true,
      allowHosts: ['shop.example'],
    });
    const trustedBase = await serve((req, res) => void behindNginx(req, res));
    const answer = await fetchText(`${trustedBase}/status/abc`, { headers });
    assert.equal(answer.status, 404); // reached FASHN, which does not know "abc"
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://shop.example');
  });

  it('works as Express-style middleware: mount path, next() outside basePath, next(err) on failure', async () => {
    const proxy = createFashnProxyNodeHandler({ apiKey: KEY, upstream, basePath: '/api/fashn' });
    const failing = toNodeHandler(() => Promise.reject(new Error('handler broke')));
    const passedOn: string[] = [];
    // What Express does for app.use('/api/fashn', handler): strip the mount path, keep originalUrl.
    const base = await serve((req, res) => {
      const original = req.url ?? '/';
      const next = (err?: unknown) => {
        passedOn.push(err ? `error: ${(err as Error).message}` : original);
        res.writeHead(err ? 500 : 418).end(err ? 'express error page' : 'next route');
      };
      if (original.startsWith('/broken')) {
        void failing(req, res, next);
        return;
      }
      Object.assign(req, {
        originalUrl: original,
        url: original.replace(/^\/api\/fashn/, '') || '/',
      });
      void proxy(req, res, next);
    });

    const run = await fetchText(`${base}/api/fashn/run`, { method: 'POST', body: tryonBody() });
    assert.equal(run.status, 200, run.text);
    const elsewhere = await fetchText(`${base}/products/run`, {
      method: 'POST',
      body: tryonBody(),
    });
    assert.equal(elsewhere.status, 418);
    const broken = await fetchText(`${base}/broken/run`);
    assert.equal(broken.status, 500);
    assert.deepEqual(passedOn, ['/products/run', 'error: handler broke']);
  });

  it('drops the connection when a handler rejects and there is no next(), like a network error', async () => {
    const failing = toNodeHandler(() => Promise.reject(new TypeError('fetch failed')));
    const base = await serve((req, res) => void failing(req, res));
    await assert.rejects(fetch(`${base}/run`), TypeError);
  });

  it('forwards a body an earlier middleware already parsed (express.json)', async () => {
    const proxy = createFashnProxyNodeHandler({ apiKey: KEY, upstream });
    const base = await serve((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        Object.assign(req, { body: JSON.parse(text) as unknown });
        void proxy(req, res);
      });
    });
    const run = await fetchText(`${base}/run`, { method: 'POST', body: tryonBody({ seed: 3 }) });
    assert.equal(run.status, 200, run.text);
    assert.equal(
      emulator.predictions.get((JSON.parse(run.text) as { id: string }).id)?.inputs.seed,
      3,
    );
  });
});
