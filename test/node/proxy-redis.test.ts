/**
 * Many instances on Redis: a real `redis-server` started here, the Redis
 * store's contract, and two proxy processes sharing it: one rate limit for a
 * shopper whichever instance they reach, and FASHN's webhook arriving at
 * instance A releasing a long-poll held at instance B.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import { createRedisStore, type RedisStore } from '../../src/proxy/node.js';
import { TEST_KEY, freePort, serveEmulator, startProcess, until } from '../support/servers.js';

const FACE = solidJpegDataUrl(48, 48, [205, 160, 130]);
const RUN = JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: FACE } });

function redisServerPath(): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

const redisServer = redisServerPath();
if (!redisServer && process.env.CI)
  throw new Error('redis-server is not installed (.ci/run installs it)');

describe(
  'Redis store and two proxy instances',
  { skip: !redisServer && 'redis-server is not installed', timeout: 60_000 },
  () => {
    let redis: Awaited<ReturnType<typeof startProcess>>;
    let redisUrl: string;
    let fashn: Awaited<ReturnType<typeof serveEmulator>>;
    const stores: RedisStore[] = [];

    before(async () => {
      const port = await freePort();
      redis = await startProcess(
        redisServer!,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { ready: /Ready to accept connections/, timeoutMs: 20_000 },
      );
      redisUrl = `redis://127.0.0.1:${port}`;
      fashn = await serveEmulator({ speed: 0.1 }); // face-to-model: 1.2 s
    });
    after(async () => {
      await Promise.all(stores.map((store) => store.close()));
      await fashn?.close();
      await redis?.stop();
    });

    const runRequests = () => fashn.emulator.requests.filter((r) => r.kind === 'run').length;

    async function store(prefix: string): Promise<RedisStore> {
      const created = await createRedisStore({ url: redisUrl, prefix });
      stores.push(created);
      return created;
    }

    it('keeps keys with set-if-absent and TTL, and fans messages out to every connection', async () => {
      const a = await store('t1:');
      const b = await store('t1:');
      assert.equal(await a.setIfAbsent('k', 'one', 5_000), true);
      assert.equal(await b.setIfAbsent('k', 'two', 5_000), false);
      assert.equal(await b.get('k'), 'one');
      await a.set('short', 'x', 50);
      await new Promise((resolve) => setTimeout(resolve, 120));
      assert.equal(await b.get('short'), undefined);
      await a.delete('k');
      assert.equal(await b.get('k'), undefined);

      const heard: string[] = [];
      const stop = await b.subscribe('news', (message) => heard.push(message));
      await a.publish('news', 'hello');
      const end = Date.now() + 2_000;
      while (heard.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(heard, ['hello']);
      await stop();

      // One bucket for both: capacity 7, a run (6) at a, then 1 at b, then nothing.
      assert.equal((await a.take('shopper', 6, 7, 0.001, 1_000)).allowed, true);
      assert.equal((await b.take('shopper', 1, 7, 0.001, 1_000)).allowed, true);
      const refused = await a.take('shopper', 1, 7, 0.001, 1_000);
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfterMs > 0);
    });

    it('the command takes REDIS_URL and FASHN_PROXY_PUBLIC_URL (webhook mode)', async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}/api/fashn`;
      const command = await startProcess(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/proxy/cli.ts',
          '--mock',
          '--mock-speed',
          '0.05',
          '--port',
          String(port),
        ],
        {
          env: { REDIS_URL: redisUrl, FASHN_PROXY_PUBLIC_URL: base },
          ready: /listening on/,
        },
      );
      try {
        const startedAt = Date.now();
        const run = await fetch(`${base}/run`, { method: 'POST', body: RUN });
        const { id } = (await run.json()) as { id: string };
        const held = await fetch(`${base}/status/${id}?wait=20000`);
        assert.equal(((await held.json()) as { status: string }).status, 'completed');
        // 0.6 s at this speed: the webhook released it, long before the schedule's first poll (~6 s).
        assert.ok(Date.now() - startedAt < 4_000, `${Date.now() - startedAt} ms`);
        const shared = await store('fashn-try-on:');
        assert.ok(await shared.get(`pred:${id}`), 'the prediction is known in Redis');
      } finally {
        await command.stop();
      }
    });

    it('two proxy processes share limits, and a webhook at A releases a long-poll held at B', async () => {
      const instance = () =>
        startProcess(process.execPath, ['--import', 'tsx', 'test/support/proxy-instance.ts'], {
          env: {
            UPSTREAM: fashn.upstream,
            REDIS_URL: redisUrl,
            REDIS_PREFIX: 't2:',
            API_KEY: TEST_KEY,
            RATE_CAPACITY: String(6 + 1 + 1),
          },
          ready: /READY (\S+)/,
        });
      const [a, b] = await Promise.all([instance(), instance()]);
      try {
        const urlA = a.match[1];
        const urlB = b.match[1];
        const shopper = { 'x-forwarded-for': '203.0.113.7' };
        const run = await fetch(`${urlA}/run`, { method: 'POST', headers: shopper, body: RUN });
        assert.equal(run.status, 200);
        const { id } = (await run.json()) as { id: string };

        // Held at B; FASHN calls A's webhook (A started the run); B answers at once.
        const heldAt = Date.now();
        const held = await fetch(`${urlB}/status/${id}?wait=20000`, { headers: shopper });
        const answer = (await held.json()) as { status: string };
        assert.equal(answer.status, 'completed');
        const completedAt = fashn.emulator.predictions.get(id)?.completedAt ?? 0;
        assert.ok(
          Date.now() - completedAt < 3_000,
          `${Date.now() - completedAt} ms after completion`,
        );
        assert.ok(Date.now() - heldAt < 10_000);
        assert.ok(fashn.statusCalls(id) <= 1, `${fashn.statusCalls(id)} status requests to FASHN`);

        // The shopper spent 6 (run at A) + 1 (status at B) + 1 (here, at A) of 8: B now refuses.
        assert.equal((await fetch(`${urlA}/status/${id}`, { headers: shopper })).status, 200);
        const refused = await fetch(`${urlB}/status/${id}`, { headers: shopper });
        assert.equal(refused.status, 429);
        assert.ok(Number(refused.headers.get('retry-after')) > 0);
        // Another shopper is not affected.
        const other = await fetch(`${urlB}/status/${id}`, {
          headers: { 'x-forwarded-for': '198.51.100.1' },
        });
        assert.equal(other.status, 200);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('Idempotency-Key across instances: a run whose answer was lost at A is joined at B, never run twice', async () => {
      const instance = () =>
        startProcess(process.execPath, ['--import', 'tsx', 'test/support/proxy-instance.ts'], {
          env: {
            UPSTREAM: fashn.upstream,
            REDIS_URL: redisUrl,
            REDIS_PREFIX: 't3:',
            API_KEY: TEST_KEY,
          },
          ready: /READY (\S+)/,
        });
      const [a, b] = await Promise.all([instance(), instance()]);
      try {
        const runsBefore = runRequests();
        const key = 'k-lost-at-a-0123456789';
        const post = (url: string, signal?: AbortSignal) =>
          fetch(`${url}/run`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: RUN,
            signal,
          });
        // FASHN holds this run for 800 ms; the shopper's connection to A dies meanwhile.
        fashn.emulator.inject({ kind: 'run', delayMs: 800 });
        const lost = new AbortController();
        const atA = post(a.match[1], lost.signal);
        await until(() => runRequests() > runsBefore);
        lost.abort();
        await assert.rejects(atA);

        // The retry reaches B while A's run is still pending at FASHN: B waits for A's answer.
        const atB = await post(b.match[1]);
        assert.equal(atB.status, 200);
        const { id } = (await atB.json()) as { id: string };
        assert.equal(runRequests() - runsBefore, 1, 'one run reached FASHN');
        assert.ok(fashn.emulator.predictions.has(id), 'the id is the prediction A started');
        // Asking A afterwards (GET …/run with the key) names the same prediction.
        const lookup = await fetch(`${a.match[1]}/run`, { headers: { 'idempotency-key': key } });
        assert.equal(lookup.status, 200);
        assert.equal(((await lookup.json()) as { id: string }).id, id);
        assert.equal(runRequests() - runsBefore, 1);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('Idempotency-Key survives a proxy restart on Redis', async () => {
      const instance = () =>
        startProcess(process.execPath, ['--import', 'tsx', 'test/support/proxy-instance.ts'], {
          env: {
            UPSTREAM: fashn.upstream,
            REDIS_URL: redisUrl,
            REDIS_PREFIX: 't4:',
            API_KEY: TEST_KEY,
          },
          ready: /READY (\S+)/,
        });
      const key = 'k-restart-0123456789';
      const headers = { 'content-type': 'application/json', 'idempotency-key': key };
      const runsBefore = runRequests();
      const first = await instance();
      let id: string;
      try {
        const run = await fetch(`${first.match[1]}/run`, { method: 'POST', headers, body: RUN });
        assert.equal(run.status, 200);
        id = ((await run.json()) as { id: string }).id;
      } finally {
        await first.stop();
      }
      const second = await instance();
      try {
        const url = second.match[1];
        const lookup = await fetch(`${url}/run`, { headers: { 'idempotency-key': key } });
        assert.equal(lookup.status, 200);
        assert.equal(((await lookup.json()) as { id: string }).id, id);
        const again = await fetch(`${url}/run`, { method: 'POST', headers, body: RUN });
        assert.equal(again.status, 200);
        assert.equal(((await again.json()) as { id: string }).id, id);
        assert.equal(runRequests() - runsBefore, 1, 'the restarted proxy did not run it again');
      } finally {
        await second.stop();
      }
    });
  },
);
