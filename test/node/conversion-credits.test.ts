import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreditsCheck, creditsUrl, readCredits } from '../../src/conversion/credits.js';
import { createFashnEmulator } from '../../src/emulator/index.js';
import { createFashnProxy } from '../../src/proxy/index.js';
import { toNodeHandler } from '../../src/proxy/node.js';

// The credits check over a real wire: the reference proxy's own /credits, and a
// small server answering every shape the check must read as unknown, available
// or unavailable (a proxy without the endpoint: "nothing changes").

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Reply = (req: IncomingMessage, res: ServerResponse) => void;
const json =
  (status: number, body: string, type = 'application/json'): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

describe('credits check', () => {
  const servers: Server[] = [];
  let proxyBase = '';
  let shopBase = '';
  const replies = new Map<string, Reply>();
  const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];

  before(async () => {
    const emulator = createFashnEmulator({ speed: 0.02, jitter: 0 });
    const proxy = createFashnProxy({
      apiKey: 'test-key',
      upstream: 'http://emulator.internal/v1',
      fetch: (input, init) => emulator.handle(new Request(input, init)),
      rateLimit: false,
    });
    const proxyServer = createServer(toNodeHandler(proxy));
    const shop = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      const reply = replies.get((req.url ?? '').replace(/\/credits$/, ''));
      if (reply) reply(req, res);
      else json(404, '{"error":"not found"}')(req, res);
    });
    servers.push(proxyServer, shop);
    proxyBase = `${await listen(proxyServer)}/api/fashn`;
    shopBase = await listen(shop);
  });
  after(() => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reads only { available: boolean }', () => {
    assert.equal(readCredits({ available: true }), 'available');
    assert.equal(readCredits({ available: false }), 'unavailable');
    for (const body of [
      null,
      [],
      'false',
      { available: 'false' },
      { available: 0 },
      {},
      { credits: 0 },
    ])
      assert.equal(readCredits(body), 'unknown', JSON.stringify(body));
  });

  it('joins the proxy URL and the path with one slash', () => {
    assert.equal(creditsUrl('/api/fashn'), '/api/fashn/credits');
    assert.equal(
      creditsUrl('https://shop.example/api/fashn//'),
      'https://shop.example/api/fashn/credits',
    );
  });

  it('the reference proxy answers available', async () => {
    assert.equal(await new CreditsCheck().check(proxyBase), 'available');
  });

  it('a proxy without the endpoint: unknown, so nothing changes', async () => {
    assert.equal(await new CreditsCheck().check(`${shopBase}/none`), 'unknown');
  });

  it('available, unavailable, and every odd answer as unknown', async () => {
    replies.set('/yes', json(200, '{"available":true}'));
    replies.set('/no', json(200, '{"available":false,"balance":3}'));
    replies.set('/html', json(200, '<html>{"available":false}</html>', 'text/html'));
    replies.set('/text', json(200, '{"available":false}', 'text/plain'));
    replies.set('/broken', json(200, '{"available":fal'));
    replies.set('/string', json(200, '{"available":"false"}'));
    replies.set('/error', json(500, '{"available":false}'));
    replies.set('/payment', json(402, '{"available":false}'));
    replies.set('/redirected', (_req, res) => {
      res.writeHead(302, { location: `${shopBase}/no/credits` });
      res.end();
    });
    const check = new CreditsCheck();
    const answers = Object.fromEntries(
      await Promise.all(
        [...replies.keys()].map(
          async (path) => [path, await check.check(`${shopBase}${path}`)] as const,
        ),
      ),
    );
    assert.deepEqual(answers, {
      '/yes': 'available',
      '/no': 'unavailable',
      '/html': 'unknown',
      '/text': 'unknown',
      '/broken': 'unknown',
      '/string': 'unknown',
      '/error': 'unknown',
      '/payment': 'unknown',
      // fetch follows redirects; what counts is the final answer.
      '/redirected': 'unavailable',
    });
  });

  it('a slow endpoint does not hold the shopper: unknown after the timeout', async () => {
    replies.set('/slow', (_req, res) => {
      setTimeout(() => json(200, '{"available":false}')(_req, res), 1500);
    });
    const started = Date.now();
    const answer = await new CreditsCheck({ timeoutMs: 200 }).check(`${shopBase}/slow`);
    assert.equal(answer, 'unknown');
    assert.ok(Date.now() - started < 1400, 'gave up before the answer came');
  });

  it('an unreachable proxy: unknown', async () => {
    const closed = createServer();
    const base = await listen(closed);
    closed.close();
    assert.equal(await new CreditsCheck().check(base), 'unknown');
  });

  it('asks once while fresh, shares one request, and again after the TTL; sends requestInit headers', async () => {
    replies.set('/once', json(200, '{"available":false}'));
    let now = 1_000;
    const check = new CreditsCheck({ now: () => now, ttlMs: 60_000 });
    const count = () => seen.filter((s) => s.url === '/once/credits').length;
    const init = { headers: { 'x-shop': 'a' } };
    const [a, b] = await Promise.all([
      check.check(`${shopBase}/once`, init),
      check.check(`${shopBase}/once/`, init),
    ]);
    assert.equal(a, 'unavailable');
    assert.equal(b, 'unavailable');
    assert.equal(count(), 1);
    now += 59_000;
    assert.equal(await check.check(`${shopBase}/once`), 'unavailable');
    assert.equal(count(), 1);
    replies.set('/once', json(200, '{"available":true}'));
    now += 2_000;
    assert.equal(check.peek(`${shopBase}/once`), undefined, 'stale: not known');
    const pending = check.check(`${shopBase}/once`);
    assert.equal(check.peek(`${shopBase}/once`), undefined, 'asked, not yet answered');
    assert.equal(await pending, 'available');
    assert.equal(check.peek(`${shopBase}/once`), 'available');
    assert.equal(count(), 2);
    const first = seen.find((s) => s.url === '/once/credits')!;
    assert.equal(first.headers['x-shop'], 'a');
    assert.equal(first.headers.accept, 'application/json');
  });
  it('an answer learned from a refused run is kept like an asked one: no request while fresh', async () => {
    replies.set('/learned', json(200, '{"available":true}'));
    let now = 5_000;
    const check = new CreditsCheck({ now: () => now, ttlMs: 60_000 });
    const count = () => seen.filter((s) => s.url === '/learned/credits').length;
    check.learn(`${shopBase}/learned/`, 'unavailable');
    assert.equal(check.peek(`${shopBase}/learned`), 'unavailable');
    assert.equal(await check.check(`${shopBase}/learned`), 'unavailable');
    assert.equal(count(), 0, 'the endpoint is not asked while the learned answer is fresh');
    now += 61_000;
    assert.equal(check.peek(`${shopBase}/learned`), undefined, 'stale: a top-up shows');
    assert.equal(await check.check(`${shopBase}/learned`), 'available');
    assert.equal(count(), 1);
  });
});
