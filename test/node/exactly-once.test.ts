/**
 * One try-on, one charge, over real sockets: FashnClient → the reference proxy
 * (Node fast path) → the FASHN emulator's HTTP server. Every case loses an
 * answer somewhere and counts what FASHN was asked to run from the emulator's
 * own records: at most one prediction per logical run, and the shopper's result
 * wherever the id can still be known.
 */
import assert from 'node:assert/strict';
import { serverPool } from '../support/servers.js';
import { afterEach, describe, it } from 'node:test';
import { FashnClient } from '../../src/api/client.js';
import { FashnError } from '../../src/api/errors.js';
import type { ModelInputs } from '../../src/api/schemas.js';
import { createFashnEmulator } from '../../src/emulator/index.js';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import {
  createMemoryIdempotencyStore,
  type FashnProxyOptions,
  type IdempotencyStore,
} from '../../src/proxy/index.js';
import { createFashnProxyNodeHandler, toNodeHandler } from '../../src/proxy/node.js';

const KEY = 'fa-exactly-once-secret-0123456789';
const AVATAR: ModelInputs['face-to-model'] = {
  face_image: solidJpegDataUrl(24, 24, [210, 160, 130]),
  return_base64: true,
};

const { serve, closeAll } = serverPool();
afterEach(closeAll);

/**
 * The emulator on its own server, a proxy in front of it whose instance can be
 * replaced (a restart: same address, memory gone), and counters read from the
 * emulator: `runs()` is how many predictions FASHN created (what the shop pays).
 */
async function setup(options: Partial<FashnProxyOptions> = {}) {
  const emulator = createFashnEmulator({ speed: 0.002, jitter: 0, apiKey: KEY });
  const fashn = await serve(toNodeHandler((request) => emulator.handle(request)));
  const makeProxy = (store?: IdempotencyStore) =>
    createFashnProxyNodeHandler({
      apiKey: KEY,
      upstream: `${fashn}/v1`,
      rateLimit: false,
      idempotencyStore: store,
      ...options,
    });
  let proxy = makeProxy();
  const base = await serve((req, res) => void proxy(req, res));
  return {
    emulator,
    url: `${base}/api/fashn`,
    runs: () => emulator.predictions.size,
    /** Run requests that reached FASHN (refused ones included). */
    runRequests: () => emulator.requests.filter((r) => r.kind === 'run').length,
    restartProxy(store?: IdempotencyStore) {
      proxy = makeProxy(store);
    },
  };
}

/**
 * A client whose connection loses the answer of the first `losses` run POSTs:
 * the request reaches the proxy and is answered there, the browser never reads it.
 */
function lossyClient(url: string, losses = 1, onLoss?: () => void | Promise<void>) {
  let left = losses;
  const posts: string[] = [];
  const client = new FashnClient({
    baseUrl: url,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      if (request.method === 'POST' && request.url.endsWith('/run')) {
        posts.push(request.headers.get('idempotency-key') ?? '');
        if (left > 0) {
          left -= 1;
          await response.arrayBuffer();
          await onLoss?.();
          throw new TypeError('fetch failed', { cause: new Error('connection reset') });
        }
      }
      return response;
    },
  });
  return { client, posts };
}

function isOutcomeUnknown(error: unknown): boolean {
  assert.ok(error instanceof FashnError, String(error));
  assert.equal(error.fashnName, 'RunOutcomeUnknown');
  assert.equal(error.code, 'network');
  assert.equal(error.retriable, true);
  return true;
}

async function postRun(
  url: string,
  key: string,
  body: unknown = { model_name: 'face-to-model', inputs: AVATAR },
) {
  const response = await fetch(`${url}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe('exactly once: one logical run, at most one FASHN run', () => {
  it('answer lost between browser and proxy: the client asks after its key and gets the result', async () => {
    const { url, runs, runRequests } = await setup();
    const { client, posts } = lossyClient(url);
    const result = await client.predict('face-to-model', AVATAR);
    assert.equal(result.output.length, 1);
    assert.equal(posts.length, 1, 'the run was never POSTed again');
    assert.equal(runs(), 1);
    assert.equal(runRequests(), 1);
  });

  it('answer lost between proxy and FASHN: RunOutcomeUnknown, no re-send; "Try again" is a new run', async () => {
    const { emulator, url, runs } = await setup();
    emulator.inject({ kind: 'run', loseAnswer: true });
    const client = new FashnClient({ baseUrl: url });
    await assert.rejects(client.predict('face-to-model', AVATAR), isOutcomeUnknown);
    assert.equal(runs(), 1, 'FASHN created the prediction; nobody sent it again');

    // The same key sent again by any client gets the same answer, never a second run.
    const logged = emulator.requests.find((r) => r.kind === 'run')!;
    assert.ok(logged.predictionId);
    const again = await client.predict('face-to-model', AVATAR); // explicit: a new key
    assert.equal(again.output.length, 1);
    assert.equal(runs(), 2, 'two logical runs, two FASHN runs');
  });

  it('a key whose answer was lost upstream stays lost: repeats answer 502 RunOutcomeUnknown', async () => {
    const { emulator, url, runs } = await setup();
    emulator.inject({ kind: 'run', loseAnswer: true });
    const first = await postRun(url, 'key-lost-upstream-1');
    assert.equal(first.status, 502);
    assert.equal(first.json.error, 'RunOutcomeUnknown');
    const repeat = await postRun(url, 'key-lost-upstream-1');
    assert.equal(repeat.status, 502);
    assert.equal(repeat.json.error, 'RunOutcomeUnknown');
    assert.equal(runs(), 1);
  });

  it('FASHN too slow to answer the run: UpstreamTimeout is RunOutcomeUnknown, never re-sent', async () => {
    const { emulator, url, runs } = await setup({ upstreamTimeoutMs: 150, longPollMaxMs: 100 });
    emulator.inject({ kind: 'run', delayMs: 400 });
    const client = new FashnClient({ baseUrl: url });
    await assert.rejects(client.predict('face-to-model', AVATAR), isOutcomeUnknown);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(runs(), 1, 'the late run exists once');
  });

  it('a proxy restart with keys in memory: the key is forgotten, the client stops rather than pay twice', async () => {
    const context = await setup();
    const { client, posts } = lossyClient(context.url, 1, () => context.restartProxy());
    await assert.rejects(client.predict('face-to-model', AVATAR), isOutcomeUnknown);
    assert.equal(posts.length, 1);
    assert.equal(context.runs(), 1);
  });

  it('a proxy restart with a shared store (as Redis): the key survives and the shopper gets the result', async () => {
    const store = createMemoryIdempotencyStore();
    const context = await setup();
    context.restartProxy(store);
    const { client, posts } = lossyClient(context.url, 1, () => context.restartProxy(store));
    const result = await client.predict('face-to-model', AVATAR);
    assert.equal(result.output.length, 1);
    assert.equal(posts.length, 1);
    assert.equal(context.runs(), 1);
  });

  it('a reload during the retry: the new page resumes by the recorded key, without a second run', async () => {
    const { url, runs } = await setup();
    const key = 'reload-during-retry-key-1';
    // The first page sent the run and lost the answer; the shopper reloaded before its retry.
    const unload = new AbortController();
    const { client: firstPage } = lossyClient(url, 1, () => unload.abort());
    await assert.rejects(
      firstPage.run('face-to-model', AVATAR, { idempotencyKey: key, signal: unload.signal }),
      (error: FashnError) => error.code === 'canceled',
    );
    const reloaded = new FashnClient({ baseUrl: url });
    const result = await reloaded.predict('face-to-model', AVATAR, { resumeKey: key });
    assert.equal(result.output.length, 1);
    assert.equal(runs(), 1);
  });

  it('concurrent duplicates join one upstream call; a later repeat is answered without FASHN', async () => {
    const { emulator, url, runs, runRequests } = await setup();
    emulator.inject({ kind: 'run', delayMs: 100 }); // still on its way when the duplicates arrive
    const key = 'concurrent-duplicate-key';
    const answers = await Promise.all([postRun(url, key), postRun(url, key), postRun(url, key)]);
    const ids = new Set(answers.map((answer) => answer.json.id));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200],
    );
    assert.equal(ids.size, 1);
    const later = await postRun(url, key);
    assert.equal(later.json.id, [...ids][0]);
    assert.equal(runs(), 1);
    assert.equal(runRequests(), 1);
    assert.equal(later.headers.get('idempotency-support'), 'run');
  });

  it('a key reused for another body is refused with 422, and FASHN is not asked', async () => {
    const { url, runs } = await setup();
    assert.equal((await postRun(url, 'reused-key-0001')).status, 200);
    const other = await postRun(url, 'reused-key-0001', {
      model_name: 'face-to-model',
      inputs: { ...AVATAR, seed: 7 },
    });
    assert.equal(other.status, 422);
    assert.equal(other.json.error, 'IdempotencyKeyReused');
    assert.equal(runs(), 1);
  });

  it('a refusal by FASHN frees the key: the same logical run is sent again and runs once', async () => {
    const { emulator, url, runs } = await setup();
    emulator.inject({
      kind: 'run',
      status: 429,
      body: { error: 'RateLimitExceeded', message: 'slow down' },
      headers: { 'retry-after': '0' },
    });
    const client = new FashnClient({ baseUrl: url, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
    const result = await client.predict('face-to-model', AVATAR);
    assert.equal(result.output.length, 1);
    assert.equal(runs(), 1);
  });

  it("FASHN's own 5xx on run may hide a started run: RunOutcomeUnknown, the key held, sent once", async () => {
    const { emulator, url, runRequests } = await setup();
    const fault = {
      kind: 'run' as const,
      status: 500,
      body: { error: 'InternalServerError', message: 'try again later' },
    };
    emulator.inject(fault);
    const first = await postRun(url, 'key-upstream-500');
    assert.equal(first.status, 502);
    assert.equal(first.json.error, 'RunOutcomeUnknown');
    const repeat = await postRun(url, 'key-upstream-500');
    assert.equal(repeat.json.error, 'RunOutcomeUnknown');
    assert.equal(runRequests(), 1, 'a key whose run may have started is never sent again');
    // The client does not send it again by itself either.
    emulator.inject(fault);
    const client = new FashnClient({ baseUrl: url, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
    await assert.rejects(client.predict('face-to-model', AVATAR), isOutcomeUnknown);
    assert.equal(runRequests(), 2, 'FASHN was asked once for that run');
  });

  it('GET …/run with a key the proxy never saw is 404 IdempotencyKeyUnknown and sends nothing', async () => {
    const { url, runRequests } = await setup();
    const response = await fetch(`${url}/run`, {
      headers: { 'idempotency-key': 'never-seen-key-01' },
    });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: string }).error, 'IdempotencyKeyUnknown');
    assert.equal(runRequests(), 0);
  });

  it('refuses a malformed Idempotency-Key with 400 before reading the body', async () => {
    const { url, runRequests } = await setup();
    const answer = await postRun(url, 'bad key!');
    assert.equal(answer.status, 400);
    assert.match(String(answer.json.message), /Idempotency-Key/);
    assert.equal(runRequests(), 0);
  });
});
