/**
 * The `fashn-try-on-proxy` command: the reference proxy on its own HTTP
 * server, answering under every path (so `http://host:port/api/fashn` works
 * as the element's `proxy-url`). `--mock` puts the in-process FASHN emulator
 * behind it, so everything runs offline and without a key.
 */
import { realpathSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { exactOrigin } from './cors.js';
import type { FashnProxyOptions } from './index.js';
import {
  createFashnProxyNodeHandler,
  createRedisStore,
  toNodeHandler,
  type NodeHandler,
  type RedisStore,
} from './node.js';

export const USAGE = `Usage: fashn-try-on-proxy [options]

Holds your FASHN API key and forwards <fashn-try-on>'s calls to FASHN.
Serves every path: use http://HOST:PORT/api/fashn (or any prefix) as proxy-url.

Options:
  --port <n>            port to listen on (default 8787; 0 picks a free one)
  --host <addr>         address to bind (default 127.0.0.1; 0.0.0.0 for all)
  --upstream <url>      FASHN API base (default $FASHN_API_BASE, else https://api.fashn.ai/v1)
  --allow-origin <o>    a page origin allowed to call the proxy, e.g. https://shop.example.com;
                        repeat for several; '*' allows any (default: the proxy's own origin)
  --allow-host <name>   a Host name to answer for, e.g. shop.example.com; repeat for several
                        (default: loopback names only, unless --allow-origin is given)
  --trust-proxy         believe X-Forwarded-* headers (only behind your own nginx/load balancer)
  --mock                answer with the built-in FASHN emulator (offline, no key needed)
  --mock-speed <x>      emulator time factor with --mock (default 1 = FASHN's timings)
  --help                show this help

Environment:
  FASHN_API_KEY         your FASHN API key (required unless --mock)
  FASHN_API_BASE        FASHN API base (--upstream wins)
  FASHN_PROXY_PUBLIC_URL  this proxy's URL as FASHN reaches it, e.g. https://shop.example.com/api/fashn:
                        webhook mode (FASHN's callbacks release held status requests)
  REDIS_URL             share limits, predictions and completions with other instances (redis://…)
`;

const DEFAULT_PORT = 8787;
const DEFAULT_HOST = '127.0.0.1';
/** Where the in-process emulator appears in mock mode (its output images are served there). */
const EMULATOR_MOUNT = '/__fashn-emulator/v1';
/** The key the proxy and the emulator share in mock mode; never a real one. */
const MOCK_KEY = 'fashn-try-on-mock-key';
/** Longest time to receive a request's headers (Node's default is 60 s). */
const HEADERS_TIMEOUT_MS = 10_000;
/** Longest time to receive a whole request (Node's default is 300 s); the proxy's body timeout is 60 s. */
const REQUEST_TIMEOUT_MS = 70_000;
/** In-flight requests get this long to finish when the command stops. */
const SHUTDOWN_GRACE_MS = 3000;

/** A reason to stop before serving: usage errors (exit 2) and --help (exit 0). */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Where the command writes: its start line and request log (`out`), and problems (`err`). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Parses `argv`, starts the server and resolves once it listens, with its URL
 * and a `close()` that stops it. Rejects with `CliExit` for `--help` (code 0)
 * and for bad usage or a missing key (code 2), and with the listen error when
 * the port is taken.
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo,
): Promise<{ close(): Promise<void>; url: string }> {
  const args = parseCommandLine(argv);
  if (args.help) throw new CliExit(0, USAGE);

  const apiKey = args.mock ? MOCK_KEY : env.FASHN_API_KEY?.trim();
  if (!apiKey) {
    throw new CliExit(
      2,
      'FASHN_API_KEY is not set. Set it to your FASHN API key (it stays on this server), ' +
        'or run with --mock to use the offline FASHN emulator.',
    );
  }

  let dispatch: NodeHandler | undefined;
  let proxyShutdown: (() => Promise<void>) | undefined;
  let store: RedisStore | undefined;
  const server = createServer(
    // A client trickling its headers or body must not hold a connection for minutes.
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    (req, res) => {
      if (dispatch) void dispatch(req, res);
      else res.writeHead(503).end();
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, args.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = serverUrl(server.address() as AddressInfo);

  const close = async () => {
    // Held long-polls get the latest status now, before their connections close.
    await proxyShutdown?.();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    await store?.close();
  };

  try {
    const log = (line: string) => io.out(`${new Date().toISOString()} ${line}`);
    const redisUrl = env.REDIS_URL?.trim();
    if (redisUrl) {
      store = await createRedisStore({ url: redisUrl }).catch((error: unknown) => {
        throw new CliExit(2, `REDIS_URL: cannot connect (${(error as Error).message})`);
      });
    }
    let options: FashnProxyOptions = {
      apiKey,
      upstream: args.upstream ?? (env.FASHN_API_BASE?.trim() || undefined),
      allowOrigins: args.allowOrigins,
      publicUrl: env.FASHN_PROXY_PUBLIC_URL?.trim() || undefined,
      ...(store ? { store } : {}),
      allowHosts: args.allowHosts,
      log,
    };
    let emulatorOutputs: NodeHandler | undefined;
    if (args.mock) {
      // Loaded only here: a production proxy never carries the emulator.
      const { createFashnEmulator } = await import('../emulator/index.js');
      const { publicFetch } = await import('./public-fetch.js');
      // FASHN's webhook goes to this proxy's own URL (often loopback in development); the
      // proxy builds that URL itself and refuses a client's webhook_url, so only it is exempt.
      const ownWebhooks = options.publicUrl && `${options.publicUrl.replace(/\/+$/, '')}/webhook/`;
      const emulator = createFashnEmulator({
        speed: args.mockSpeed,
        apiKey: MOCK_KEY,
        control: false,
        // Image URLs are fetched from this machine: public addresses only (no SSRF).
        fetch: (input, init) =>
          ownWebhooks &&
          String(input instanceof Request ? input.url : input).startsWith(ownWebhooks)
            ? globalThis.fetch(input, init)
            : publicFetch(input, init),
      });
      options = {
        ...options,
        upstream: `${url}${EMULATOR_MOUNT}`,
        fetch: (input, init) => emulator.handle(new Request(input, init)),
      };
      emulatorOutputs = toNodeHandler((request) => emulator.handle(request));
    }
    const proxy = createProxy({ ...options, trustProxy: args.trustProxy });
    proxyShutdown = proxy.close;
    await proxy.ready;
    dispatch = (req, res) =>
      emulatorOutputs && isEmulatorOutput(req) ? emulatorOutputs(req, res) : proxy(req, res);
  } catch (error) {
    await close();
    throw error;
  }

  const upstreamNote = args.mock ? 'the built-in FASHN emulator' : describeUpstream(args, env);
  io.out(`fashn-try-on-proxy listening on ${url}, forwarding to ${upstreamNote}`);
  return { url, close };
}

/**
 * What `bin/fashn-try-on-proxy.js` runs: `main`, with exit codes, messages,
 * and a clean stop on SIGINT/SIGTERM.
 */
export async function runCli(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = processIo,
): Promise<void> {
  let server: Awaited<ReturnType<typeof main>> | undefined;
  let stopping: NodeJS.Signals | undefined;
  const shutdown = (running: NonNullable<typeof server>, signal: NodeJS.Signals) =>
    void running.close().then(() => {
      io.out(`fashn-try-on-proxy stopped (${signal})`);
      // Whatever else is pending (emulated predictions) must not keep the process alive.
      setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
    });
  // Listening before the server starts: a signal during startup still stops it cleanly.
  const stop = (signal: NodeJS.Signals) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stopping = signal;
    if (server) shutdown(server, signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    server = await main(argv, env, io);
  } catch (error) {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (error instanceof CliExit) {
      if (error.exitCode === 0) io.out(error.message.trimEnd());
      else io.err(`fashn-try-on-proxy: ${error.message}\nRun fashn-try-on-proxy --help for usage.`);
      process.exitCode = error.exitCode;
      return;
    }
    const code = (error as { code?: string }).code;
    const message =
      code === 'EADDRINUSE'
        ? 'that port is already in use; choose another with --port'
        : error instanceof Error
          ? error.message
          : String(error);
    io.err(`fashn-try-on-proxy: ${message}`);
    process.exitCode = 1;
    return;
  }
  if (stopping) shutdown(server, stopping);
}

interface CommandLine {
  help: boolean;
  port: number;
  host: string;
  upstream?: string;
  allowOrigins?: readonly string[] | '*';
  allowHosts?: readonly string[];
  trustProxy: boolean;
  mock: boolean;
  mockSpeed: number;
}

function parseCommandLine(argv: string[]): CommandLine {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        upstream: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'allow-host': { type: 'string', multiple: true },
        'trust-proxy': { type: 'boolean' },
        mock: { type: 'boolean' },
        'mock-speed': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new CliExit(2, (error as Error).message);
  }

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port > 65535) {
    throw new CliExit(2, `--port must be a whole number from 0 to 65535, got ${values.port}`);
  }
  const mockSpeed = values['mock-speed'] === undefined ? 1 : Number(values['mock-speed']);
  if (!Number.isFinite(mockSpeed) || mockSpeed <= 0) {
    throw new CliExit(2, `--mock-speed must be a positive number, got ${values['mock-speed']}`);
  }
  if (values.upstream !== undefined && !/^https?:\/\/[^\s?#]+$/.test(values.upstream)) {
    throw new CliExit(2, `--upstream must be an http(s) URL, got ${values.upstream}`);
  }

  return {
    help: values.help ?? false,
    port,
    host: values.host ?? DEFAULT_HOST,
    upstream: values.upstream,
    allowOrigins: parseOrigins(values['allow-origin']),
    allowHosts: values['allow-host'],
    trustProxy: values['trust-proxy'] ?? false,
    mock: values.mock ?? false,
    mockSpeed,
  };
}

function parseOrigins(values: string[] | undefined): readonly string[] | '*' | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.includes('*')) return '*';
  try {
    return values.map(exactOrigin);
  } catch (error) {
    throw new CliExit(2, `--allow-origin: ${(error as Error).message}`);
  }
}

function createProxy(
  options: Parameters<typeof createFashnProxyNodeHandler>[0],
): ReturnType<typeof createFashnProxyNodeHandler> {
  try {
    return createFashnProxyNodeHandler(options);
  } catch (error) {
    throw new CliExit(2, (error as Error).message);
  }
}

function isEmulatorOutput(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0] ?? '';
  return req.method === 'GET' && path.startsWith(`${EMULATOR_MOUNT}/outputs/`);
}

function describeUpstream(args: CommandLine, env: NodeJS.ProcessEnv): string {
  return args.upstream ?? (env.FASHN_API_BASE?.trim() || 'https://api.fashn.ai/v1');
}

function serverUrl(address: AddressInfo): string {
  // Bound to every interface: browsers reach it as localhost (0.0.0.0 itself is blocked by some).
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard
    ? 'localhost'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}`;
}

/** True when this module is the program node was started with (not when bundled and imported by bin/). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) void runCli();
