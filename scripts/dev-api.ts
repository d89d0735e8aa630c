/**
 * The local API used by `npm start` (Vite) and by the browser tests
 * (web-test-runner): the reference proxy at /api/fashn and, unless a real
 * FASHN key is given, the FASHN emulator behind it. The emulator is also
 * mounted at /emulator, so its URL outputs and its test controls are reachable.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createFashnEmulator,
  type EmulatorOptions,
  type FashnEmulator,
} from '../src/emulator/index.js';
import { createFashnProxy, type FashnProxyOptions } from '../src/proxy/index.js';
import { toNodeHandler } from '../src/proxy/node.js';

export interface DevApiOptions {
  /** A real FASHN key: the proxy then forwards to `upstream` (FASHN) and no emulator is used. */
  apiKey?: string;
  upstream?: string;
  emulator?: EmulatorOptions;
  /** The origin the browser sees (for the emulator's URL outputs), read when a request arrives. */
  publicOrigin: () => string;
  proxy?: Partial<FashnProxyOptions>;
}

export interface DevApi {
  /** Connect/Koa-style Node middleware: handles /api/fashn/* and /emulator/*, else calls next(). */
  middleware(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  emulator?: FashnEmulator;
  mode: 'emulator' | 'fashn';
}

const EMULATOR_INTERNAL = 'http://emulator.internal/v1';

export function createDevApi(options: DevApiOptions): DevApi {
  const emulator = options.apiKey ? undefined : createFashnEmulator(options.emulator);
  // In-process upstream: the proxy "fetches" the emulator without a network hop,
  // but under the public origin, so output URLs point where the browser can load them.
  const emulatorFetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const path = url.pathname.replace(/^\/v1/, '');
    const publicUrl = new URL(`/emulator${path}${url.search}`, options.publicOrigin());
    return emulator!.handle(new Request(publicUrl, input instanceof Request ? input : init));
  };
  const proxy = createFashnProxy({
    apiKey: options.apiKey ?? 'emulator-key',
    upstream: options.apiKey ? options.upstream : EMULATOR_INTERNAL,
    ...(emulator ? { fetch: emulatorFetch } : {}),
    ...options.proxy,
  });
  const proxyNode = toNodeHandler(proxy);
  const emulatorNode = emulator ? toNodeHandler((request) => emulator.handle(request)) : undefined;

  return {
    emulator,
    mode: emulator ? 'emulator' : 'fashn',
    middleware(req, res, next) {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (path.startsWith('/api/fashn/')) {
        void proxyNode(req, res, next);
      } else if (emulatorNode && path.startsWith('/emulator/')) {
        void emulatorNode(req, res, next);
      } else {
        next();
      }
    },
  };
}
