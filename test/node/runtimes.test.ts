/**
 * The proxy on every runtime its README names, each running its example from
 * examples/proxy/ for real: a run → status (long-poll) → completed round trip
 * against the emulator served over HTTP. workerd, Deno and Bun come from their
 * npm packages; Express runs on this Node.
 */
import assert from 'node:assert/strict';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import { TEST_KEY, freePort, serveEmulator, startProcess } from '../support/servers.js';
import { ROOT, bundleExample, runtimeBinary } from '../support/runtimes.js';

const FACE = solidJpegDataUrl(48, 48, [205, 160, 130]);
const OUT = 'node_modules/.cache/fashn-runtime-examples';
const NEXT_APP = '.next-example';

/**
 * run → status?wait= until completed, as the element does it. The proxy polls on
 * FASHN's real durations while the emulator runs 20× faster, so holds are short.
 */
async function roundTrip(base: string): Promise<void> {
  const run = await fetch(`${base}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: FACE } }),
  });
  const runText = await run.text();
  assert.equal(run.status, 200, runText);
  const { id } = JSON.parse(runText) as { id: string };
  for (let i = 0; i < 20; i++) {
    const status = await fetch(`${base}/status/${id}?wait=1000`);
    const text = await status.text();
    assert.equal(status.status, 200, text);
    const body = JSON.parse(text) as { status: string; output?: string[] };
    if (body.status === 'completed') {
      assert.equal(body.output?.length, 1);
      assert.ok(!text.includes(TEST_KEY));
      return;
    }
    assert.ok(['starting', 'in_queue', 'processing'].includes(body.status), text);
  }
  assert.fail('the prediction did not complete');
}

function requireBinary(name: 'deno' | 'bun' | 'workerd'): string | undefined {
  const binary = runtimeBinary(name);
  if (!binary && process.env.CI) throw new Error(`${name}: its npm package brought no binary`);
  return binary;
}

describe('runtimes', { timeout: 120_000 }, () => {
  let fashn: Awaited<ReturnType<typeof serveEmulator>>;
  const env = () => ({ FASHN_API_KEY: TEST_KEY, FASHN_API_BASE: fashn.upstream });

  before(async () => {
    fashn = await serveEmulator({ speed: 0.05 });
  });
  after(() => fashn.close());

  it(
    'workerd (Cloudflare Workers)',
    { skip: !runtimeBinary('workerd') && !process.env.CI },
    async () => {
      const binary = requireBinary('workerd')!;
      await bundleExample('workerd/worker.ts', `${OUT}/workerd/worker.js`);
      const port = await freePort();
      const config = `${ROOT}${OUT}/workerd/config.capnp`;
      writeFileSync(
        config,
        `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "proxy", worker = .proxyWorker),
    # The emulator listens on loopback, which workerd's default outbound refuses.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "proxy")],
);
const proxyWorker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "worker.js")],
  compatibilityDate = "2025-01-01",
  bindings = [
    (name = "FASHN_API_KEY", text = "${TEST_KEY}"),
    (name = "FASHN_API_BASE", text = "${fashn.upstream}"),
  ],
);
`,
      );
      // workerd prints nothing when it listens: wait for the port instead.
      const worker = await startProcess(binary, ['serve', config], {});
      try {
        await waitForPort(port);
        await roundTrip(`http://127.0.0.1:${port}/api/fashn`);
      } finally {
        await worker.stop();
      }
    },
  );

  it('Deno', { skip: !runtimeBinary('deno') && !process.env.CI }, async () => {
    const binary = requireBinary('deno')!;
    const file = await bundleExample('deno/main.ts', `${OUT}/deno/main.js`);
    const port = await freePort();
    const deno = await startProcess(binary, ['run', '--allow-net', '--allow-env', file], {
      env: { ...env(), PORT: String(port), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      ready: /Listening on/,
    });
    try {
      await roundTrip(`http://127.0.0.1:${port}/api/fashn`);
    } finally {
      await deno.stop();
    }
  });

  it('Bun', { skip: !runtimeBinary('bun') && !process.env.CI }, async () => {
    const binary = requireBinary('bun')!;
    const file = await bundleExample('bun/server.ts', `${OUT}/bun/server.js`);
    const port = await freePort();
    const bun = await startProcess(binary, ['run', file], {
      env: { ...env(), PORT: String(port) },
      ready: /listening on/,
    });
    try {
      await roundTrip(`http://127.0.0.1:${port}/api/fashn`);
    } finally {
      await bun.stop();
    }
  });

  it('Express on Node', async () => {
    const file = await bundleExample('express/server.ts', `${OUT}/express/server.mjs`, 'node');
    const express = await startProcess(process.execPath, [file], {
      env: { ...env(), PORT: '0' },
      ready: /listening on (\S+)/,
    });
    try {
      const base = /listening on (\S+)/.exec(express.output())![1];
      await roundTrip(`${base}/api/fashn`);
    } finally {
      await express.stop();
    }
  });
});

async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      if (Date.now() > end) throw new Error(`nothing listens on ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('Next.js route handler', { timeout: 180_000 }, () => {
  it('serves the proxy from app/api/fashn/[...path]/route.ts (next dev)', async () => {
    const fashn = await serveEmulator({ speed: 0.05 });
    // The example app, with `fashn-try-on/proxy` bundled from source beside it.
    // Not under node_modules: Turbopack does not compile app code from there.
    const app = `${ROOT}${NEXT_APP}`;
    rmSync(app, { recursive: true, force: true });
    cpSync(`${ROOT}examples/proxy/nextjs`, app, { recursive: true });
    await bundleExample('../../src/proxy/index.ts', `${NEXT_APP}/lib/fashn-proxy.mjs`);
    writeFileSync(
      `${app}/next.config.mjs`,
      `export default { turbopack: { root: ${JSON.stringify(ROOT)}, resolveAlias: { 'fashn-try-on/proxy': './lib/fashn-proxy.mjs' } } };\n`,
    );
    const port = await freePort();
    const next = await startProcess(
      process.execPath,
      [
        `${ROOT}node_modules/next/dist/bin/next`,
        'dev',
        app,
        '--port',
        String(port),
        '--hostname',
        '127.0.0.1',
      ],
      {
        env: {
          FASHN_API_KEY: TEST_KEY,
          FASHN_API_BASE: fashn.upstream,
          NEXT_TELEMETRY_DISABLED: '1',
        },
        ready: /Ready in/,
        timeoutMs: 120_000,
      },
    );
    try {
      await roundTrip(`http://127.0.0.1:${port}/api/fashn`);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${next.output()}`);
    } finally {
      await next.stop();
      await fashn.close();
    }
  });
});
