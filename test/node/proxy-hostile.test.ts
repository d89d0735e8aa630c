/**
 * The proxy against hostile clients and a misbehaving upstream, over real
 * sockets: bodies that cost too much to parse, trickled or oversized uploads,
 * giant or key-echoing answers, DNS rebinding, shop policies, and the --mock
 * SSRF guard. Timings are measured in the benchmark, not asserted here.
 */
import assert from 'node:assert/strict';
import { serverPool } from '../support/servers.js';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createFashnEmulator } from '../../src/emulator/index.js';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import { createFashnProxy, type FashnProxyOptions } from '../../src/proxy/index.js';
import { createFashnProxyNodeHandler, toNodeHandler } from '../../src/proxy/node.js';
import { jsonShapeProblem, jsonShapeScanner } from '../../src/proxy/json-shape.js';
import { isPrivateAddress, publicFetch } from '../../src/proxy/public-fetch.js';

const KEY = 'fa-HOSTILE-secret-key-9876543210zz';
const PHOTO = solidJpegDataUrl(24, 24, [200, 150, 120]);

const { serve, closeAll } = serverPool();
afterEach(closeAll);

/**
 * The emulator as FASHN and the proxy in front of it, mounted as a Node server runs it:
 * `node` (createFashnProxyNodeHandler, the default) or `web` (the web handler through
 * toNodeHandler).
 */
async function setup(options: Partial<FashnProxyOptions> = {}, mount: 'node' | 'web' = 'node') {
  const emulator = createFashnEmulator({ speed: 0.01, jitter: 0, apiKey: KEY });
  const fashn = await serve(toNodeHandler((request) => emulator.handle(request)));
  const config: FashnProxyOptions = {
    apiKey: KEY,
    upstream: `${fashn}/v1`,
    rateLimit: false,
    ...options,
  };
  const node = mount === 'node' ? createFashnProxyNodeHandler(config) : undefined;
  const url = await serve(
    node ? (req, res) => void node(req, res) : toNodeHandler(createFashnProxy(config)),
  );
  const runBody = (inputs: Record<string, unknown> = {}) =>
    JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: PHOTO, ...inputs } });
  const run = async () => {
    const response = await fetch(`${url}/run`, { method: 'POST', body: runBody() });
    return ((await response.json()) as { id: string }).id;
  };
  return { emulator, url, runBody, run };
}

async function answer(response: Response) {
  const text = await response.text();
  assert.ok(!text.includes(KEY), 'the key leaked');
  return {
    status: response.status,
    text,
    json: JSON.parse(text || '{}') as Record<string, unknown>,
  };
}

describe('hostile bodies', () => {
  it('checks the shape the same whether the text arrives whole or in pieces', () => {
    const limits = { maxDepth: 3, maxValues: 6 };
    const texts = [
      '{"a":"[[[[\\\\\\"[[[[","b":[1,2]}',
      '{"a":"x\\\\","b":[[[[1]]]]}',
      '{"a":"\\"]]]]}","b":[1,2,3,4,5,6,7]}',
      '[[["ok"]]]',
      '{"k":"' + '\\'.repeat(9) + '"[[[[[["}',
    ];
    for (const text of texts) {
      const whole = jsonShapeProblem(text, limits);
      for (let size = 1; size <= 5; size++) {
        const feed = jsonShapeScanner(limits);
        let verdict: string | undefined;
        for (let i = 0; i < text.length; i += size) verdict = feed(text.slice(i, i + size));
        assert.equal(verdict, whole, `${text} in pieces of ${size}`);
      }
    }
    assert.match(jsonShapeProblem('{"a":[[[[1]]]]}', limits) ?? '', /deeper/);
    assert.equal(jsonShapeProblem('{"a":"[[[[[[[["}', limits), undefined);
  });

  it('refuses 10 MiB of nested arrays before parsing, while another status request is answered', async () => {
    const { url, run } = await setup();
    const id = await run();
    const nested = '['.repeat(5 * 1024 * 1024) + ']'.repeat(5 * 1024 * 1024);
    const [hostile, status] = await Promise.all([
      fetch(`${url}/run`, { method: 'POST', body: nested }).then(answer),
      fetch(`${url}/status/${id}`).then(answer),
    ]);
    assert.equal(hostile.status, 400);
    assert.match(String(hostile.json.message), /nested deeper than/);
    assert.equal(status.status, 200);
  });

  it('refuses a body with millions of values (flat arrays, long key lists)', async () => {
    const { url } = await setup();
    const flat = `{"model_name":"face-to-model","inputs":{"face_image":[${'0,'.repeat(2_000_000)}0]}}`;
    const refused = await answer(await fetch(`${url}/run`, { method: 'POST', body: flat }));
    assert.equal(refused.status, 400);
    assert.match(String(refused.json.message), /more than \d+ values/);
  });

  it('answers 408 to a body that trickles in, and closes the connection', async () => {
    const { url } = await setup({ bodyTimeoutMs: 200 });
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      'POST /run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"model_name":',
    );
    const drip = setInterval(() => socket.writable && socket.write(' '), 50);
    await closed;
    clearInterval(drip);
    assert.match(received, /^HTTP\/1\.1 408/);
    assert.match(received, /RequestTimeout/);
    assert.match(received, /connection: close/i);
  });

  /**
   * Offers 50 MiB to `url` chunk by chunk until the connection closes; the answer's status
   * and how much was sent by then (a drained body would be all of it).
   */
  const flood = (url: string) =>
    new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let status = 0;
      const req = httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        res.resume();
      });
      // Writing into a connection the server closed fails (EPIPE, ECONNRESET): expected once
      // the answer has come.
      req.on('error', (error) => (status ? undefined : reject(error)));
      req.on('close', () => resolve({ status, sent }));
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      // 50 MiB offered chunk by chunk; the refusal must come long before.
      const pump = () => {
        while (sent < 50 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });

  for (const mount of ['node', 'web'] as const) {
    it(`${mount} mount: stops reading a body over the limit, 413, the connection closes before the rest is sent`, async () => {
      const { url } = await setup({ maxBodyBytes: 64 * 1024 }, mount);
      const result = await flood(`${url}/run`);
      assert.equal(result.status, 413);
      assert.ok(result.sent < 10 * 1024 * 1024, `sent ${result.sent} bytes before the refusal`);
      // The proxy serves on.
      assert.equal((await fetch(`${url}/run`, { method: 'POST', body: '{}' })).status, 400);
    });
  }
});

describe('hostile or broken upstream answers', () => {
  it('caps the size of an upstream answer: 502, and the proxy keeps serving', async () => {
    const { emulator, url, run } = await setup({ maxUpstreamBytes: 256 * 1024 });
    const id = await run();
    emulator.inject({
      kind: 'status',
      body: {
        id,
        status: 'completed',
        output: [`data:image/png;base64,${'A'.repeat(1024 * 1024)}`],
        error: null,
      },
    });
    const huge = await answer(await fetch(`${url}/status/${id}`));
    assert.equal(huge.status, 502);
    assert.match(String(huge.json.message), /over the proxy's limit/);
    assert.equal((await fetch(`${url}/status/${id}`)).status, 200);
  });

  it("never relays the key, even \\u-escaped, percent- or base64-encoded in FASHN's answer", async () => {
    const { emulator, url, run } = await setup();
    const id = await run();
    const escaped = [...KEY]
      .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('');
    const b64 = Buffer.from(`Bearer ${KEY}`).toString('base64');
    emulator.inject([
      { kind: 'status', status: 400, body: `{"error":"BadRequest","message":"key ${escaped}"}` },
      { kind: 'status', status: 400, body: { error: 'BadRequest', message: `auth ${b64}` } },
      {
        kind: 'status',
        status: 400,
        body: { error: 'BadRequest', message: encodeURIComponent(`k=${KEY}&`) },
      },
    ]);
    for (let i = 0; i < 3; i++) {
      const relayed = await answer(await fetch(`${url}/status/${id}`));
      assert.equal(relayed.status, 400);
      const message = String(relayed.json.message);
      assert.ok(!message.includes(KEY), message);
      assert.ok(
        !Buffer.from(message.split(' ').pop() ?? '', 'base64')
          .toString()
          .includes(KEY),
      );
      assert.ok(!decodeURIComponent(message).includes(KEY), message);
    }
  });

  it('keeps an upstream 429 with its Retry-After even when the body is HTML', async () => {
    const { emulator, url } = await setup();
    emulator.inject({
      kind: 'run',
      status: 429,
      body: '<html><body>Too Many Requests</body></html>',
      headers: { 'content-type': 'text/html', 'retry-after': '17' },
    });
    const response = await fetch(`${url}/run`, {
      method: 'POST',
      body: JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: PHOTO } }),
    });
    const limited = await answer(response);
    assert.equal(limited.status, 429);
    assert.equal(response.headers.get('retry-after'), '17');
    assert.equal(limited.json.error, 'RateLimitExceeded');
  });

  it('turns a 200 with broken JSON into 502 BadGateway', async () => {
    const { emulator, url, run } = await setup();
    const id = await run();
    emulator.inject({ kind: 'status', status: 200, body: '{"id": "x", "status": "compl' });
    const broken = await answer(await fetch(`${url}/status/${id}`));
    assert.equal(broken.status, 502);
    assert.equal(broken.json.error, 'BadGateway');
  });

  it('relays only the fields it rebuilt: extra upstream fields and headers stay behind', async () => {
    const { emulator, url, run } = await setup();
    const id = await run();
    emulator.inject({
      kind: 'status',
      body: {
        id,
        status: 'processing',
        error: null,
        debug: { token: 'x' },
        __proto__: { admin: true },
      },
      headers: { 'set-cookie': 'a=b' },
    });
    const response = await fetch(`${url}/status/${id}`);
    const relayed = await answer(response);
    assert.deepEqual(Object.keys(relayed.json).sort(), ['error', 'id', 'status']);
    assert.equal(response.headers.get('set-cookie'), null);
  });
});

describe('who may call', () => {
  it('serves loopback host names only by default: DNS rebinding is refused', async () => {
    const { url } = await setup();
    const { port } = new URL(url);
    const ask = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/status/abc',
            headers: { host, origin: `http://${host}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    assert.equal(await ask(`evil.example:${port}`), 403);
    assert.notEqual(await ask(`localhost:${port}`), 403);
    assert.notEqual(await ask(`127.0.0.1:${port}`), 403);
  });

  it('serves configured hosts, and any host once allowOrigins lists the pages', async () => {
    const named = await setup({ allowHosts: ['shop.example'] });
    const listed = await setup({ allowOrigins: ['https://shop.example'] });
    const status = (base: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: new URL(base).port, path: '/status/abc', headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    assert.notEqual(await status(named.url, 'shop.example'), 403);
    assert.equal(await status(named.url, 'evil.example'), 403);
    assert.notEqual(await status(listed.url, 'api.shop.example'), 403);
  });
});

describe('shop policies', () => {
  const tryon = (garment: string, samples = 1) =>
    JSON.stringify({
      model_name: 'tryon-v1.6',
      inputs: { model_image: PHOTO, garment_image: garment, num_samples: samples },
    });

  it('refuses garments from other hosts (and data: garments) with 403 NotAllowedByShop', async () => {
    const { url, emulator } = await setup({
      allowGarmentHosts: ['cdn.shop.example', '*.images.shop.example'],
    });
    const post = async (garment: string) =>
      answer(await fetch(`${url}/run`, { method: 'POST', body: tryon(garment) }));
    for (const garment of ['https://evil.example/g.jpg', PHOTO, 'http://cdn.shop.example/g.jpg']) {
      const refused = await post(garment);
      assert.equal(refused.status, 403, garment.slice(0, 40));
      assert.equal(refused.json.error, 'NotAllowedByShop');
    }
    assert.equal(emulator.requests.length, 0, 'FASHN was never asked');
    // Allowed hosts pass the policy (the emulator then fails to load them: that is FASHN's business).
    assert.equal((await post('https://cdn.shop.example/g.jpg')).status, 200);
    assert.equal((await post('https://a.images.shop.example/g.jpg')).status, 200);
  });

  it('caps num_samples', async () => {
    const { url } = await setup({ maxNumSamples: 1 });
    const refused = await answer(
      await fetch(`${url}/run`, { method: 'POST', body: tryon(PHOTO, 4) }),
    );
    assert.equal(refused.status, 403);
    assert.match(String(refused.json.message), /num_samples.*at most 1/);
  });

  it('refuses bad policy options when the proxy is created', () => {
    assert.throws(
      () => createFashnProxyNodeHandler({ apiKey: KEY, maxNumSamples: 9 }),
      /maxNumSamples/,
    );
    assert.throws(
      () => createFashnProxyNodeHandler({ apiKey: KEY, allowGarmentHosts: ['https://x.example/'] }),
      /allowGarmentHosts/,
    );
  });
});

describe('--mock fetches public addresses only', () => {
  it('knows loopback, private, link-local and mapped addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ])
      assert.equal(isPrivateAddress(address), true, address);
    for (const address of ['93.184.216.34', '2606:4700::1111', '8.8.8.8'])
      assert.equal(isPrivateAddress(address), false, address);
  });

  it('fetches nothing from loopback, by address or by a name that resolves there', async () => {
    let hits = 0;
    const internal = await serve((_req, res) => {
      hits++;
      res.end('secret');
    });
    const { port } = new URL(internal);
    for (const target of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
    ]) {
      await assert.rejects(publicFetch(target), TypeError, target);
    }
    await assert.rejects(publicFetch('file:///etc/passwd'), TypeError);
    assert.equal(hits, 0);
  });

  it('the emulator behind --mock turns an internal URL into a failed prediction, never a request', async () => {
    let hits = 0;
    const internal = await serve((_req, res) => {
      hits++;
      res.end('secret');
    });
    const emulator = createFashnEmulator({ speed: 0.001, jitter: 0, fetch: publicFetch });
    const run = await emulator.handle(
      new Request('http://emu/v1/run', {
        method: 'POST',
        body: JSON.stringify({
          model_name: 'face-to-model',
          inputs: { face_image: `${internal}/x.jpg` },
        }),
      }),
    );
    const { id } = (await run.json()) as { id: string };
    let status: { status: string; error?: { name: string } } = { status: 'starting' };
    for (let i = 0; i < 100 && !['completed', 'failed'].includes(status.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await (
        await emulator.handle(new Request(`http://emu/v1/status/${id}`))
      ).json()) as typeof status;
    }
    assert.equal(status.status, 'failed');
    assert.equal(status.error?.name, 'ImageLoadError');
    assert.equal(hits, 0);
  });
});
