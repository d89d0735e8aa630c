/**
 * Real sockets for the deployment tests: the emulator (as FASHN) served over
 * HTTP, free ports, and child processes that print their URL when ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createFashnEmulator,
  type EmulatorOptions,
  type FashnEmulator,
} from '../../src/emulator/index.js';
import { toNodeHandler } from '../../src/proxy/node.js';

export const TEST_KEY = 'fa-test-key-0123456789';

export async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** The servers a test file opens on free ports, closed together (its `afterEach`). */
export function serverPool(): {
  serve(listener: RequestListener): Promise<string>;
  closeAll(): Promise<void>;
} {
  const servers: Server[] = [];
  return {
    serve(listener) {
      const server = createServer(listener);
      servers.push(server);
      return listen(server);
    },
    async closeAll() {
      await Promise.all(servers.splice(0).map(closeServer));
    },
  };
}

/** The emulator as FASHN on a real port: `upstream` is its `/v1` base. */
export async function serveEmulator(options: EmulatorOptions = {}): Promise<{
  emulator: FashnEmulator;
  upstream: string;
  close(): Promise<void>;
  statusCalls(id: string): number;
}> {
  const emulator = createFashnEmulator({ speed: 0.02, jitter: 0, apiKey: TEST_KEY, ...options });
  const server = createServer(toNodeHandler((request) => emulator.handle(request)));
  const base = await listen(server);
  return {
    emulator,
    upstream: `${base}/v1`,
    close: () => closeServer(server),
    statusCalls: (id) =>
      emulator.requests.filter((r) => r.kind === 'status' && r.predictionId === id).length,
  };
}

/** A free TCP port (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

/**
 * Starts `command` and resolves with the first stdout match of `ready` (at once
 * without one), rejecting with the output so far when it exits or times out.
 */
export async function startProcess(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; ready?: RegExp; timeoutMs?: number },
): Promise<{
  child: ChildProcess;
  match: RegExpMatchArray;
  output: () => string;
  stop(): Promise<void>;
}> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(force);
  };
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    if (!options.ready) {
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      resolve(['']);
      return;
    }
    const ready = options.ready;
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} not ready after ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    // Runtimes differ on where they say they listen (Deno: stderr).
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  return { child, match, output: () => output, stop };
}

/** Polls `condition` every 10 ms until it holds, or throws after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
