/**
 * The `fashn-try-on-proxy` command: started as a real process from source
 * (start line, a served request, exit codes, SIGTERM), and through `main()`
 * in process for the options.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { createFashnEmulator, type FashnEmulator } from '../../src/emulator/index.js';
import { main, type CliIo } from '../../src/proxy/cli.js';
import { toNodeHandler } from '../../src/proxy/node.js';

const CLI = fileURLToPath(new URL('../../src/proxy/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KEY = 'fa-CLI-secret-key-fedcba9876543210';

const PHOTO = (() => {
  const width = 32;
  const height = 48;
  const data = Buffer.alloc(width * height * 4, 200);
  const encoded = jpeg.encode({ data, width, height }, 80).data;
  return `data:image/jpeg;base64,${Buffer.from(encoded).toString('base64')}`;
})();

const tryonBody = (inputs: Record<string, unknown> = {}) =>
  JSON.stringify({
    model_name: 'tryon-v1.6',
    inputs: { model_image: PHOTO, garment_image: PHOTO, ...inputs },
  });

/** The environment without any FASHN settings of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('FASHN_API_KEY' in extra)) delete env.FASHN_API_KEY;
  if (!('FASHN_API_BASE' in extra)) delete env.FASHN_API_BASE;
  return env;
}

interface Running {
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line that matches. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

function runCommand(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal });
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: (signal) => child.kill(signal),
    async waitFor(pattern) {
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        if (done) throw new Error(`exited without printing ${pattern}; stderr: ${err}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

describe('fashn-try-on-proxy (process)', () => {
  it('starts with --mock, prints its URL, serves and logs requests, stops on SIGTERM', async () => {
    const command = runCommand(['--mock', '--port', '0', '--mock-speed', '0.01'], cleanEnv());
    try {
      const [line, url] = await command.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\b.*\n/);
      assert.match(line, /emulator/);
      const run = await fetch(`${url}/api/fashn/run`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: tryonBody({ return_base64: true }),
      });
      assert.equal(run.status, 200);
      const { id } = (await run.json()) as { id: string };
      const status = await fetch(`${url}/api/fashn/status/${id}`);
      assert.equal(status.status, 200);
      assert.equal(((await status.json()) as { id: string }).id, id);
      await command.waitFor(/GET status - 200 \d+ms/);
      assert.match(command.stdout(), /POST run tryon-v1\.6 200 \d+ms/);
    } finally {
      command.kill('SIGTERM');
    }
    const { code, signal } = await command.exited;
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.match(command.stdout(), /stopped \(SIGTERM\)/);
    assert.equal(command.stderr(), '');
  });

  it('stops on SIGINT too', async () => {
    const command = runCommand(['--mock', '--port', '0'], cleanEnv());
    await command.waitFor(/listening on/);
    command.kill('SIGINT');
    assert.equal((await command.exited).code, 0);
  });

  it('refuses to start without FASHN_API_KEY, with exit code 2 and what to do', async () => {
    const command = runCommand(['--port', '0'], cleanEnv());
    const { code } = await command.exited;
    assert.equal(code, 2);
    assert.match(command.stderr(), /FASHN_API_KEY is not set.*--mock/s);
    assert.doesNotMatch(command.stdout(), /listening/);
  });

  it('prints usage for --help and refuses unknown or bad options with exit code 2', async () => {
    const help = runCommand(['--help'], cleanEnv());
    assert.equal((await help.exited).code, 0);
    assert.match(help.stdout(), /--allow-origin/);
    assert.match(help.stdout(), /FASHN_API_KEY/);

    const badUsage = [
      ['--port', 'eighty'],
      ['--mock', '--allow-origin', 'shop.example'],
      ['--bogus'],
    ];
    await Promise.all(
      badUsage.map(async (args) => {
        const bad = runCommand(args, cleanEnv());
        assert.equal((await bad.exited).code, 2, args.join(' '));
        assert.match(bad.stderr(), /--help/);
      }),
    );
  });
});

describe('main()', () => {
  let emulator: FashnEmulator;
  let emulatorServer: Server;
  let upstream: string;

  before(async () => {
    emulator = createFashnEmulator({ speed: 0.01, jitter: 0, apiKey: KEY });
    emulatorServer = createServer(toNodeHandler((request) => emulator.handle(request)));
    await new Promise<void>((resolve) => emulatorServer.listen(0, '127.0.0.1', resolve));
    upstream = `http://127.0.0.1:${(emulatorServer.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    emulatorServer.closeAllConnections();
    await new Promise((resolve) => emulatorServer.close(resolve));
  });

  function captureIo(): CliIo & { lines: string[] } {
    const lines: string[] = [];
    return { lines, out: (line) => lines.push(line), err: (line) => lines.push(`ERR ${line}`) };
  }

  it('forwards to --upstream (over FASHN_API_BASE) with FASHN_API_KEY, never printing or answering the key', async () => {
    const io = captureIo();
    const env = cleanEnv({ FASHN_API_KEY: KEY, FASHN_API_BASE: 'http://127.0.0.1:9/unreachable' });
    const server = await main(
      ['--port', '0', '--upstream', upstream, '--allow-origin', 'https://shop.example'],
      env,
      io,
    );
    try {
      assert.match(
        io.lines[0] ?? '',
        new RegExp(`listening on ${server.url}, forwarding to ${upstream}$`),
      );
      const allowed = await fetch(`${server.url}/api/fashn/run`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'https://shop.example' },
        body: tryonBody(),
      });
      const text = await allowed.text();
      assert.equal(allowed.status, 200, text);
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.ok(emulator.predictions.has((JSON.parse(text) as { id: string }).id));

      const refused = await fetch(`${server.url}/api/fashn/status/abc`, {
        headers: { Origin: 'https://evil.example' },
      });
      assert.equal(refused.status, 403);
      for (const answer of [allowed, refused]) {
        for (const [, value] of answer.headers) assert.ok(!value.includes(KEY));
      }
      assert.equal(io.lines.length, 3);
      for (const line of io.lines) assert.ok(!line.includes(KEY), line);
    } finally {
      await server.close();
    }
    await assert.rejects(fetch(`${server.url}/api/fashn/status/abc`));
  });

  it('uses FASHN_API_BASE when there is no --upstream', async () => {
    const io = captureIo();
    const server = await main(
      ['--port', '0'],
      cleanEnv({ FASHN_API_KEY: KEY, FASHN_API_BASE: upstream }),
      io,
    );
    try {
      const answer = await fetch(`${server.url}/status/unknown-id`);
      assert.equal(answer.status, 404); // FASHN's own answer for an id it does not track
      assert.equal(((await answer.json()) as { error: string }).error, 'NotFound');
      assert.ok(
        emulator.requests.some((r) => r.kind === 'status' && r.predictionId === 'unknown-id'),
      );
    } finally {
      await server.close();
    }
  });

  it("with --mock, serves the emulator's output images so URL outputs load", async () => {
    const io = captureIo();
    const server = await main(['--port', '0', '--mock', '--mock-speed', '0.01'], cleanEnv(), io);
    try {
      const run = await fetch(`${server.url}/api/fashn/run`, {
        method: 'POST',
        body: tryonBody({ return_base64: false }),
      });
      const { id } = (await run.json()) as { id: string };
      let output: string[] | undefined;
      for (let i = 0; i < 200 && !output; i++) {
        const status = (await (await fetch(`${server.url}/api/fashn/status/${id}`)).json()) as {
          status: string;
          output?: string[];
        };
        if (status.status === 'completed') output = status.output;
        else if (status.status === 'failed') assert.fail(JSON.stringify(status));
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const url = output?.[0] ?? '';
      assert.ok(url.startsWith(server.url), url);
      const image = await fetch(url);
      assert.equal(image.status, 200);
      assert.match(image.headers.get('content-type') ?? '', /^image\//);
    } finally {
      await server.close();
    }
  });
});
