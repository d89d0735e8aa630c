/**
 * Webhook mode over real sockets: the emulator (as FASHN) calls the proxy's
 * webhook when a prediction ends, and the proxy releases held status requests
 * at once; FASHN sees the run and at most one status request. Callbacks the
 * proxy did not ask for change nothing. Also: credits, SDK-only body options.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import { createFashnProxyNodeHandler } from '../../src/proxy/node.js';
import type { FashnProxyOptions } from '../../src/proxy/index.js';
import { TEST_KEY, closeServer, listen, serveEmulator, until } from '../support/servers.js';

const FACE = solidJpegDataUrl(48, 48, [205, 160, 130]);
const RUN = JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: FACE } });

describe('webhook mode', { timeout: 30_000 }, () => {
  let fashn: Awaited<ReturnType<typeof serveEmulator>>;
  const servers: Server[] = [];

  before(async () => {
    fashn = await serveEmulator({ speed: 0.05 }); // face-to-model: 600 ms
  });
  after(() => fashn.close());
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
    fashn.emulator.reset();
  });

  /** A proxy at `/api/fashn` on a real port, in webhook mode unless told otherwise. */
  async function proxy(options: Partial<FashnProxyOptions> = {}) {
    const handlers: Array<ReturnType<typeof createFashnProxyNodeHandler>> = [];
    const server = createServer((req, res) => void handlers[0]?.(req, res));
    servers.push(server);
    const base = `${await listen(server)}/api/fashn`;
    const handler = createFashnProxyNodeHandler({
      apiKey: TEST_KEY,
      upstream: fashn.upstream,
      publicUrl: base,
      rateLimit: false,
      ...options,
    });
    handlers.push(handler);
    await handler.ready;
    const call = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${base}${path}`, init);
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        json: JSON.parse(text) as Record<string, unknown>,
      };
    };
    return { base, call, handler };
  }

  it('adds its own webhook_url, and the callback releases a held status request at once', async () => {
    const { call } = await proxy();
    const run = await call('/run', { method: 'POST', body: RUN });
    assert.equal(run.status, 200);
    const id = String(run.json.id);
    const sent = fashn.emulator.requests.find((r) => r.kind === 'run');
    assert.match(sent?.path ?? '', /\/run$/);
    const heldAt = Date.now();
    const held = await call(`/status/${id}?wait=20000`);
    assert.equal(held.json.status, 'completed');
    const completedAt = fashn.emulator.predictions.get(id)?.completedAt ?? 0;
    assert.ok(Date.now() - heldAt < 5_000);
    // Polling alone would first look ~5 s after completion at this speed: the webhook released it.
    assert.ok(Date.now() - completedAt < 3_000, `${Date.now() - completedAt} ms after completion`);
    // FASHN saw the run and the hold's one status request; the webhook did the rest.
    assert.ok(fashn.statusCalls(id) <= 1, `${fashn.statusCalls(id)} status requests`);
    // Later requests (any wait) are answered from the webhook's final status.
    const again = await call(`/status/${id}`);
    assert.equal(again.json.status, 'completed');
    assert.ok(fashn.statusCalls(id) <= 1);
  });

  it('ignores callbacks it did not ask for: unknown or spent tokens; confirms another id', async () => {
    // FASHN's callbacks, recorded; `deliver` off keeps them from reaching the proxy.
    const hooks: Array<{ url: string; body: string }> = [];
    let deliver = true;
    const recording = await serveEmulator({
      speed: 0.05,
      fetch: async (input, init) => {
        hooks.push({ url: String(input), body: String(init?.body) });
        return deliver ? fetch(input, init) : new Response(null, { status: 503 });
      },
    });
    try {
      const { call, base } = await proxy({ upstream: recording.upstream });
      const forged = await fetch(`${base}/webhook/${'A'.repeat(43)}`, {
        method: 'POST',
        body: JSON.stringify({
          id: 'x',
          status: 'completed',
          output: ['https://evil.example/x.png'],
        }),
      });
      assert.equal(forged.status, 404);
      assert.equal(
        (await fetch(`${base}/webhook/short`, { method: 'POST', body: '{}' })).status,
        404,
      );

      const first = String((await call('/run', { method: 'POST', body: RUN })).json.id);
      assert.equal((await call(`/status/${first}?wait=20000`)).json.status, 'completed');
      assert.equal(hooks.length, 1);
      const hook = hooks[0];
      assert.ok(hook.url.startsWith(`${base}/webhook/`), hook.url);
      assert.match(hook.url, /\/webhook\/[A-Za-z0-9_-]{43}$/);
      // A replay (spent token) is refused.
      const replay = await fetch(hook.url, { method: 'POST', body: hook.body });
      assert.equal(replay.status, 404);

      // A callback on a real token naming another prediction: the proxy asks FASHN once.
      deliver = false;
      const second = String((await call('/run', { method: 'POST', body: RUN })).json.id);
      await until(() => hooks.length === 2);
      const evil = JSON.stringify({
        id: first,
        status: 'completed',
        output: ['https://evil.example/x.png'],
      });
      const doubted = await fetch(hooks[1].url, { method: 'POST', body: evil });
      assert.equal(doubted.status, 200);
      assert.equal(recording.statusCalls(second), 1, 'one confirming status request');
      const done = await call(`/status/${second}`);
      assert.equal(done.json.id, second);
      assert.equal(done.json.status, 'completed');
      assert.ok(!JSON.stringify(done.json).includes('evil'));
      assert.equal(recording.statusCalls(second), 1, 'then answered from the confirmed status');
    } finally {
      await recording.close();
    }
  });

  it("spends a callback that came before the run's answer: the late answer does not revive it for a replay", async () => {
    const hooks: Array<{ url: string; body: string; status: number }> = [];
    const recording = await serveEmulator({
      speed: 0.05,
      fetch: async (input, init) => {
        const answer = await fetch(input, init);
        hooks.push({ url: String(input), body: String(init?.body), status: answer.status });
        return answer;
      },
    });
    try {
      // FASHN's answer to the run reaches the proxy only after FASHN's callback did.
      const { call } = await proxy({
        upstream: recording.upstream,
        fetch: async (input, init) => {
          const answer = await fetch(input, init);
          if (init?.method === 'POST' && String(input).includes('/run'))
            await until(() => hooks.length === 1);
          return answer;
        },
      });
      const run = await call('/run', { method: 'POST', body: RUN });
      assert.equal(run.status, 200);
      const id = String(run.json.id);
      assert.equal(hooks[0].status, 200, 'the early callback was taken');
      assert.equal((await call(`/status/${id}`)).json.status, 'completed');
      const replay = await fetch(hooks[0].url, { method: 'POST', body: hooks[0].body });
      assert.equal(replay.status, 404);
    } finally {
      await recording.close();
    }
  });

  it('drops the webhook token of a run FASHN refused', async () => {
    const runUrls: string[] = [];
    const { call, base } = await proxy({
      fetch: (input, init) => {
        if (init?.method === 'POST') runUrls.push(String(input));
        return fetch(input, init);
      },
    });
    fashn.emulator.inject({
      kind: 'run',
      status: 429,
      body: { error: 'RateLimitExceeded', message: 'Slow down' },
    });
    assert.equal((await call('/run', { method: 'POST', body: RUN })).status, 429);
    const hook = decodeURIComponent(new URL(runUrls[0]).searchParams.get('webhook_url') ?? '');
    assert.ok(hook.startsWith(`${base}/webhook/`), hook);
    const late = await fetch(hook, {
      method: 'POST',
      body: JSON.stringify({ id: 'abc123', status: 'completed', output: [] }),
    });
    assert.equal(late.status, 404);
  });

  it('passes x-fashn-credits-used on and answers /credits with { available } only', async () => {
    const { call } = await proxy({ publicUrl: undefined });
    assert.deepEqual((await call('/credits')).json, { available: true });
    const run = await call('/run', { method: 'POST', body: RUN });
    const id = String(run.json.id);
    await until(() => fashn.emulator.predictions.get(id)?.status === 'completed');
    const done = await call(`/status/${id}`);
    assert.equal(done.json.status, 'completed');
    assert.equal(done.headers.get('x-fashn-credits-used'), '1');

    fashn.emulator.inject({
      kind: 'run',
      status: 429,
      body: { error: 'OutOfCredits', message: 'No credits left' },
    });
    const refused = await call('/run', { method: 'POST', body: RUN });
    assert.equal(refused.status, 429);
    assert.deepEqual((await call('/credits')).json, { available: false });
    // A run that starts again proves credits are back.
    assert.equal((await call('/run', { method: 'POST', body: RUN })).status, 200);
    assert.deepEqual((await call('/credits')).json, { available: true });
  });

  it("drops the official SDK's client-only subscribe options instead of refusing the run", async () => {
    const { call } = await proxy({ publicUrl: undefined });
    const body = JSON.stringify({
      model_name: 'face-to-model',
      inputs: { face_image: FACE },
      pollInterval: 500,
      timeout: 60_000,
      maxRetries: 2,
    });
    const run = await call('/run', { method: 'POST', body });
    assert.equal(run.status, 200, JSON.stringify(run.json));
    const inBody = JSON.stringify({
      model_name: 'face-to-model',
      inputs: { face_image: FACE },
      webhook_url: 'https://evil.example',
    });
    const refused = await call('/run', { method: 'POST', body: inBody });
    assert.equal(refused.status, 400);
    assert.match(String(refused.json.message), /^webhook_url: not accepted/);
  });

  it('on shutdown, answers held long-polls with the latest status', async () => {
    const slow = await serveEmulator({ speed: 1 }); // 12 s: still pending at shutdown
    try {
      const { call, handler } = await proxy({ upstream: slow.upstream, publicUrl: undefined });
      const run = await call('/run', { method: 'POST', body: RUN });
      const id = String(run.json.id);
      const held = call(`/status/${id}?wait=20000`);
      await until(() => slow.statusCalls(id) >= 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const closedAt = Date.now();
      await handler.close();
      const answer = await held;
      assert.ok(Date.now() - closedAt < 3_000, 'answered at once, not at the end of the wait');
      assert.ok(['starting', 'in_queue', 'processing'].includes(String(answer.json.status)));
      assert.equal(answer.json.id, id);
    } finally {
      await slow.close();
    }
  });
});

describe('held requests and abort listeners', { timeout: 30_000 }, () => {
  it('30 requests held on one prediction add no listeners that pile up (no MaxListeners warning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
    };
    process.on('warning', onWarning);
    const fashn = await serveEmulator({ speed: 0.05 });
    try {
      const { createFashnProxy } = await import('../../src/proxy/index.js');
      const proxy = createFashnProxy({
        apiKey: TEST_KEY,
        upstream: fashn.upstream,
        rateLimit: false,
        longPollIntervalMs: 100,
        allowHosts: ['proxy.test'],
      });
      const base = 'http://proxy.test/api/fashn';
      const run = await proxy(new Request(`${base}/run`, { method: 'POST', body: RUN }));
      const { id } = (await run.json()) as { id: string };
      const held = await Promise.all(
        Array.from({ length: 30 }, async () => {
          for (;;) {
            const answer = await proxy(new Request(`${base}/status/${id}?wait=20000`));
            // A refusal would otherwise spin this loop: fail instead.
            assert.equal(answer.status, 200, await answer.clone().text());
            const { status } = (await answer.json()) as { status: string };
            if (status === 'completed') return status;
          }
        }),
      );
      assert.ok(held.every((status) => status === 'completed'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings.map(String), []);
    } finally {
      process.off('warning', onWarning);
      await fashn.close();
    }
  });
});
