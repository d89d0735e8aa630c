/**
 * The official `fashn` SDK (npm, unchanged) through the reference proxy, over
 * real sockets to the emulator: `run`, `status`, and `subscribe` with its
 * documented options, `creditsUsed` from the passed-on header, and a clear 400
 * for a `webhook_url` of its own. The SDK's key is a placeholder: the proxy
 * sends its own.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Fashn from 'fashn';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import { createFashnProxyNodeHandler } from '../../src/proxy/node.js';
import { TEST_KEY, closeServer, listen, serveEmulator } from '../support/servers.js';

const FACE = solidJpegDataUrl(48, 48, [205, 160, 130]);

describe('the official fashn SDK through the proxy', { timeout: 30_000 }, () => {
  let fashn: Awaited<ReturnType<typeof serveEmulator>>;
  let server: Server;
  let client: Fashn;

  before(async () => {
    fashn = await serveEmulator({ speed: 0.05 });
    const handler = createFashnProxyNodeHandler({ apiKey: TEST_KEY, upstream: fashn.upstream });
    server = createServer((req, res) => void handler(req, res));
    const base = await listen(server);
    client = new Fashn({ apiKey: 'not-the-key', baseURL: `${base}/api/fashn`, maxRetries: 0 });
  });
  after(async () => {
    await closeServer(server);
    await fashn.close();
  });

  it('runs and reads the status', async () => {
    const run = await client.predictions.run({
      model_name: 'face-to-model',
      inputs: { face_image: FACE },
    });
    assert.ok(run.id);
    const status = await client.predictions.status(run.id);
    assert.equal(status.id, run.id);
    assert.ok(['starting', 'in_queue', 'processing', 'completed'].includes(status.status));
  });

  it('subscribes with pollInterval, timeout and maxRetries, and reports creditsUsed', async () => {
    const updates: string[] = [];
    const result = await client.predictions.subscribe({
      model_name: 'face-to-model',
      inputs: { face_image: FACE },
      pollInterval: 150,
      timeout: 20_000,
      maxRetries: 2,
      onQueueUpdate: (status) => updates.push(status.status),
    });
    assert.equal(result.status, 'completed');
    assert.equal(result.output?.length, 1);
    assert.equal(result.creditsUsed, 1);
    assert.ok(updates.includes('completed'));
  });

  it('gets a clear 400 for a webhook_url of its own', async () => {
    await assert.rejects(
      client.predictions.run({
        model_name: 'face-to-model',
        inputs: { face_image: FACE },
        webhook_url: 'https://evil.example/hook',
      }),
      (error: Error & { status?: number }) => {
        assert.equal(error.status, 400);
        assert.match(error.message, /webhook_url: not accepted/);
        return true;
      },
    );
    assert.equal(fashn.emulator.requests.filter((r) => r.kind === 'run').length, 2);
  });
});
