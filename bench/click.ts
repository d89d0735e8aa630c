/**
 * Click → consent dialog on a slow connection: the real `dist/` build served
 * to headless Chromium under network emulation (150 ms round trip, 1.6 Mbps
 * down, 750 kbps up), a fresh page per run. The element sits below the fold,
 * so nothing but the shopper's intent loads the flow. Measured in the page,
 * from the click to the open dialog showing the consent step: after 200 ms of
 * hover over the trigger (the intent starts the download), and cold (a click
 * with no hover before it, the worst case). Beside them, the same page's time
 * from navigation to a labelled trigger (the eager part) as the baseline.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { median } from './report.js';

const DIST = new URL('../dist/', import.meta.url);
export const NETWORK = { latencyMs: 150, downKbps: 1600, upKbps: 750 };
const RUNS = 5;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>click bench</title>
<script type="module" src="/fashn-try-on.js"></script></head>
<body><p style="height:200vh">A product page.</p>
<fashn-try-on garment-image="https://shop.example.com/tee.jpg" remember="false"></fashn-try-on>
</body></html>`;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html' };

/** Serves the page and dist/ from 127.0.0.1 (no caching: each run downloads again). */
async function serveDist(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') return send(200, 'text/html; charset=utf-8', PAGE);
    readFile(new URL(`.${path}`, DIST)).then(
      (body) => send(200, TYPES[extname(path)] ?? 'application/octet-stream', body),
      () => send(404, 'text/plain', 'not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A fresh throttled page with the shell loaded; resolves with ms from navigation to a labelled trigger. */
async function openPage(
  browser: Browser,
  origin: string,
): Promise<{ page: Page; eagerMs: number }> {
  const page = await (await browser.newContext()).newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: NETWORK.latencyMs,
    downloadThroughput: (NETWORK.downKbps * 1000) / 8,
    uploadThroughput: (NETWORK.upKbps * 1000) / 8,
  });
  await page.goto(origin);
  await page.waitForFunction(() => {
    const button = document.querySelector('fashn-try-on')?.shadowRoot?.querySelector('button');
    return button && !button.hidden && button.textContent;
  });
  const eagerMs = await page.evaluate(() => performance.now());
  return { page, eagerMs };
}

/** ms from a click on the trigger to the open dialog showing consent; `hoverMs` of hover first. */
async function clickToDialog(page: Page, hoverMs: number | undefined): Promise<number> {
  if (hoverMs !== undefined) {
    await page.evaluate(() => {
      const button = document.querySelector('fashn-try-on')!.shadowRoot!.querySelector('button')!;
      button.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
    });
    await page.waitForTimeout(hoverMs);
  }
  // A string, so no helper of the TypeScript loader leaks into the page.
  return page.evaluate<number>(`new Promise((resolve) => {
    const el = document.querySelector('fashn-try-on');
    const start = performance.now();
    el.shadowRoot.querySelector('button').click();
    const check = () => {
      const dialog = el.shadowRoot.querySelector('dialog');
      if (dialog?.open && dialog.querySelector('[part~="continue"]')) resolve(performance.now() - start);
      else requestAnimationFrame(check);
    };
    check();
  })`);
}

export interface ClickFigures {
  eagerMs: number;
  hoverMs: number;
  coldMs: number;
  runs: number;
}

/** Medians over fresh pages of the built `dist/` (build it first). */
export async function measureClicks(): Promise<ClickFigures> {
  const { origin, server } = await serveDist();
  const browser = await launchChromium();
  const eager: number[] = [];
  const hover: number[] = [];
  const cold: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const [hoverMs, into] of [
        [200, hover],
        [undefined, cold],
      ] as const) {
        const { page, eagerMs } = await openPage(browser, origin);
        eager.push(eagerMs);
        into.push(await clickToDialog(page, hoverMs));
        await page.context().close();
      }
    }
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }
  return { eagerMs: median(eager), hoverMs: median(hover), coldMs: median(cold), runs: RUNS };
}
