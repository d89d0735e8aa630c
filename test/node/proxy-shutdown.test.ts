/**
 * SIGTERM with long-polls held: the command answers each with the latest
 * status it has before the connection closes, then exits.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import { startProcess } from '../support/servers.js';

describe('fashn-try-on-proxy on SIGTERM', { timeout: 30_000 }, () => {
  it('answers held long-polls with the latest status, then exits', async () => {
    const proxy = await startProcess(
      process.execPath,
      ['--import', 'tsx', 'src/proxy/cli.ts', '--mock', '--port', '0'],
      { ready: /listening on (http:\/\/[^\s,]+)/ },
    );
    try {
      const base = `${proxy.match[1]}/api/fashn`;
      const run = await fetch(`${base}/run`, {
        method: 'POST',
        body: JSON.stringify({
          model_name: 'face-to-model',
          inputs: { face_image: solidJpegDataUrl(32, 32, [200, 150, 120]) },
        }),
      });
      const { id } = (await run.json()) as { id: string };
      // FASHN's 12 s: still pending when the signal comes.
      const held = Promise.all(
        [1, 2].map(async () => {
          const answer = await fetch(`${base}/status/${id}?wait=20000`);
          return {
            status: answer.status,
            body: (await answer.json()) as { id: string; status: string },
          };
        }),
      );
      // Under load the server may not have read the held requests yet (it would then close
      // their connections as idle): a request sent after them and answered proves it has.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await fetch(`${base}/status/${id}`)).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const signalledAt = Date.now();
      const exited = once(proxy.child, 'exit');
      proxy.child.kill('SIGTERM');
      for (const answer of await held) {
        assert.equal(answer.status, 200);
        assert.equal(answer.body.id, id);
        assert.ok(['starting', 'in_queue', 'processing'].includes(answer.body.status));
      }
      assert.ok(Date.now() - signalledAt < 3_000, 'answered at once, not at the end of the wait');
      await exited;
      assert.match(proxy.output(), /stopped \(SIGTERM\)/);
    } finally {
      await proxy.stop();
    }
  });
});
