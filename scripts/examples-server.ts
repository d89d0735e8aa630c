/**
 * Serves the built examples (scripts/build-examples.ts) at /plain/, /react/ and
 * /vue/, with the reference proxy at /api/fashn and the FASHN emulator behind it
 * (or the real API when FASHN_API_KEY is set), as a shop's server would.
 *
 *   npm run examples   → builds them, then http://127.0.0.1:4174/ (PORT to change)
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES, SHOP_CSS, type ExampleName } from './build-examples.js';
import { createDevApi, type DevApi, type DevApiOptions } from './dev-api.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../demo/examples/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
};

export interface ExamplesServerOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Passed to the API: a FASHN key, emulator timings, proxy options. */
  api?: Omit<DevApiOptions, 'publicOrigin'>;
}

export interface ExamplesServer {
  /** e.g. `http://127.0.0.1:4174`; each example is at `${origin}/${name}/`. */
  origin: string;
  api: DevApi;
  close(): Promise<void>;
}

/** How the index introduces each example. */
const ABOUT: Record<ExampleName, [title: string, what: string]> = {
  plain: ['Plain HTML', 'One script tag and the element; a few lines follow its events.'],
  react: ['React 19', 'The element in JSX with on… event props; React state follows it.'],
  vue: ['Vue 3', 'isCustomElement, bound attributes and @fashn-… listeners.'],
};

/** The index: the three examples as cards, in the shop's look. */
function indexPage(): string {
  const cards = EXAMPLES.map((name) => {
    const [title, what] = ABOUT[name];
    return `<li><a class="example-card" href="/${name}/"><strong>${title}</strong><span>${what}</span></a></li>`;
  }).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Examples · fashn-try-on</title>
<link rel="stylesheet" href="/shop.css" />
</head>
<body>
<p class="announcement">fashn-try-on examples, on the built package</p>
<header class="site-header">
<span class="logo"><span class="logo-mark" aria-hidden="true">AN</span><span class="logo-word">Atelier Nord</span></span>
<span class="example-tag">Examples</span>
</header>
<main class="examples">
<p class="eyebrow">One product page, three ways</p>
<h1>Try it on, in your stack</h1>
<p>The same product page with &lt;fashn-try-on&gt;, each served with the reference proxy at /api/fashn and the FASHN emulator behind it (the real API when FASHN_API_KEY is set).</p>
<ul class="example-list">${cards}</ul>
</main>
</body>
</html>`;
}

/** The file under an example's dist/ that `pathname` names, or undefined outside of them. */
function exampleFile(pathname: string): string | undefined {
  const [, name, ...rest] = pathname.split('/');
  if (!EXAMPLES.includes(name as ExampleName)) return undefined;
  const base = join(EXAMPLES_DIR, name, 'dist');
  const file = normalize(join(base, decodeURIComponent(rest.join('/')) || 'index.html'));
  return file === base || file.startsWith(base + sep) ? file : undefined;
}

async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://x');
  if (pathname === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(indexPage());
    return;
  }
  if (pathname === '/shop.css') {
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.css'], 'Cache-Control': 'no-store' });
    createReadStream(SHOP_CSS)
      .on('error', () => res.destroy())
      .pipe(res);
    return;
  }
  if (pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  if (EXAMPLES.some((name) => pathname === `/${name}`)) {
    res.writeHead(301, { Location: `${pathname}/` }).end();
    return;
  }
  let file = exampleFile(pathname);
  const stats = file ? await stat(file).catch(() => undefined) : undefined;
  if (stats?.isDirectory()) file = join(file!, 'index.html');
  if (!file || !(stats && (stats.isFile() || stats.isDirectory()))) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
  });
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Starts the server; `close()` stops it. The examples must be built first. */
export async function startExamplesServer(
  options: ExamplesServerOptions = {},
): Promise<ExamplesServer> {
  let origin = '';
  const api = createDevApi({ ...options.api, publicOrigin: () => origin });
  const server = createServer((req, res) => {
    api.middleware(req, res, () => {
      serveStatic(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  origin = `http://${address}:${port}`;
  return {
    origin,
    api,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const apiKey = process.env.FASHN_API_KEY || undefined;
  const port = Number(process.env.PORT ?? 4174);
  const { origin, api } = await startExamplesServer({
    port,
    api: {
      apiKey,
      upstream: process.env.FASHN_API_BASE || undefined,
      emulator: { speed: Number(process.env.FASHN_EMULATOR_SPEED ?? 1) },
    },
  });
  console.log(
    `Examples at ${origin}/ (${EXAMPLES.map((name) => `/${name}/`).join(', ')}); ` +
      `FASHN: ${api.mode === 'emulator' ? 'the built-in emulator' : 'the real API'} at /api/fashn`,
  );
}
