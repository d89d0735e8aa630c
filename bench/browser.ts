/**
 * What the browser sections share: page code bundled with esbuild (so its
 * TypeScript imports of src/ work), a tiny 127.0.0.1 server for it (plus
 * optional middleware, e.g. the proxy and emulator), and headless Chromium
 * through playwright-core.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'esbuild';

const ROOT = new URL('..', import.meta.url).pathname;
export const CHROMIUM_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * Bundles `entry` (relative to the repo root) into one ES module, in memory.
 * Without splitting, esbuild inlines dynamic imports (the lazy language packs),
 * so one file serves the whole page.
 */
export async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    tsconfig: 'tsconfig.json',
    logLevel: 'silent',
  });
  if (result.outputFiles.length !== 1)
    throw new Error(`${entry}: expected one file, got ${result.outputFiles.length}`);
  return result.outputFiles[0].text;
}

export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `/` (an empty page loading `/page.js`), `/page.js` and, for any other
 * path, `middleware` when given. Listens on 127.0.0.1, port chosen by the OS.
 */
export async function servePage(script: string, middleware?: Middleware): Promise<PageServer> {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>' +
    '<script type="module" src="/page.js"></script></head><body></body></html>';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (type: string, body: string) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') return send('text/html; charset=utf-8', html);
    if (path === '/page.js') return send('text/javascript; charset=utf-8', script);
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    };
    if (middleware) middleware(req, res, notFound);
    else notFound();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Headless Debian Chromium, as the browser tests run it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Timers of a page in the background must not be throttled during measurements.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}
