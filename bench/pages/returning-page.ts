/**
 * Browser side of table 5 (bundled by bench/returning.ts): drives the real
 * `<fashn-try-on>` against the proxy and emulator of the bench server.
 * `firstVisit` supplies a selfie (no kept avatar: normalise, face-to-model,
 * try-on); `laterTryOn` tries another garment with whatever the element
 * finds kept, and says so when it finds nothing; `cacheRead` times the kept
 * avatar's read alone on a fresh page. Every span starts when the element is
 * created, so the element's own read of its memory on connect is counted.
 */
import '../../src/index.js';
import type { FashnTryOn } from '../../src/element/index.js';
import { createStore, set } from 'idb-keyval';
import { openTryOnStore, sharedTryOnStore } from '../../src/cache/fallback.js';
import { STORE_NAME } from '../../src/cache/kv.js';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';

export interface VisitTiming {
  /** Whether a kept avatar was used (`fashn-result` detail `avatarCached`). */
  avatarCached: boolean;
  /** From the element's creation to the `fashn-result` event, ms. */
  totalMs: number;
  /** From the element's creation to the try-on's `fashn-before-run`: what comes before the try-on (avatar or cache read). */
  beforeTryonMs: number;
  /** From face-to-model's `fashn-before-run` to the made avatar's `fashn-avatar`, ms; NaN when no avatar was made. */
  faceToModelMs: number;
}

export type LaterVisit = VisitTiming | { kept: false; state: string };

function addElement(garment: string): FashnTryOn {
  const element = document.createElement('fashn-try-on');
  element.setAttribute('layout', 'inline');
  element.setAttribute('proxy-url', '/api/fashn');
  element.setAttribute('garment-image', garment);
  element.setAttribute('remember', 'true');
  document.body.append(element);
  return element;
}

/** A garment per product page: a flat colour is enough for the emulator's try-on. */
function garment(index: number): string {
  return solidJpegDataUrl(64, 64, [(index * 70) % 256, 90, 200 - ((index * 40) % 200)]);
}

/** A phone-like selfie: 1200×1600 with gradients and a face-ish oval. */
async function selfie(): Promise<Blob> {
  const canvas = new OffscreenCanvas(1200, 1600);
  const ctx = canvas.getContext('2d')!;
  const background = ctx.createLinearGradient(0, 0, 1200, 1600);
  background.addColorStop(0, '#c9d6df');
  background.addColorStop(1, '#52616b');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, 1200, 1600);
  ctx.fillStyle = '#e0ac8a';
  ctx.beginPath();
  ctx.ellipse(600, 700, 300, 400, 0, 0, Math.PI * 2);
  ctx.fill();
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
}

/** Times from `started` (the element's creation) to its `fashn-result`, after `act`. */
async function timeVisit(
  element: FashnTryOn,
  started: number,
  act: () => Promise<unknown>,
): Promise<VisitTiming> {
  let beforeTryonAt = Number.NaN;
  let beforeAvatarAt = Number.NaN;
  let avatarAt = Number.NaN;
  element.addEventListener('fashn-before-run', (event) => {
    if (event.detail.model === 'tryon-v1.6') beforeTryonAt = performance.now();
    else beforeAvatarAt = performance.now();
  });
  element.addEventListener('fashn-avatar', (event) => {
    if (!event.detail.cached) avatarAt = performance.now();
  });
  const result = new Promise<{ avatarCached: boolean; at: number }>((resolve) => {
    element.addEventListener(
      'fashn-result',
      (event) => resolve({ avatarCached: event.detail.avatarCached, at: performance.now() }),
      { once: true },
    );
  });
  await act();
  const { avatarCached, at } = await result;
  return {
    avatarCached,
    totalMs: at - started,
    beforeTryonMs: beforeTryonAt - started,
    faceToModelMs: avatarAt - beforeAvatarAt,
  };
}

/** First visit: the shopper gives a selfie on product page `page`. */
export async function firstVisit(page: number): Promise<VisitTiming> {
  const photo = await selfie();
  const started = performance.now();
  const element = addElement(garment(page));
  await element.updateComplete;
  return timeVisit(element, started, () => element.useSelfie(photo));
}

/**
 * A later try-on of product page `page` (another garment): with a kept avatar
 * it goes straight to the try-on; without one the element asks for consent,
 * which is reported as `{ kept: false }` (and nothing is paid).
 */
export async function laterTryOn(page: number): Promise<LaterVisit> {
  const started = performance.now();
  const element = addElement(garment(page));
  await element.updateComplete;
  const noAvatar = new Promise<{ kept: false; state: string }>((resolve) => {
    element.addEventListener('fashn-state-change', (event) => {
      const { state } = event.detail;
      if (state === 'consent' || state === 'capture') resolve({ kept: false, state });
    });
  });
  const visit = timeVisit(element, started, () => element.tryOn());
  visit.catch(() => undefined); // left pending (and later canceled) when nothing is kept
  const outcome = await Promise.race([visit, noAvatar]);
  if ('kept' in outcome) element.remove();
  return outcome;
}

/**
 * The cache read alone, on a fresh page with no element: opening the page's
 * IndexedDB store (with its purge of expired records) and reading the current
 * avatar with its bytes, ms. Rejects when no avatar is kept.
 */
export async function cacheRead(): Promise<number> {
  const started = performance.now();
  const avatar = await (await sharedTryOnStore()).getAvatar();
  const ms = performance.now() - started;
  if (!avatar) throw new Error('no kept avatar to read');
  return ms;
}

/** Bytes the size of one of FASHN's JPEG outputs (864×1296, about 200 KB), typed as one. */
function outputBytes(seed: number): Blob {
  const bytes = new Uint8Array(200_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + seed * 17) & 0xff;
  return new Blob([bytes], { type: 'image/jpeg' });
}

/**
 * A returning shopper with `count` kept results (the default limit is 30), in a database
 * of its own: the page opens the store (its purge of expired records), reads the current
 * avatar and lists predictions in flight, as the element does on connect. `keyed`: the
 * bytes under keys of their own (as the store writes them now); `inline`: the bytes inside
 * the records (as it wrote them before), which the same code still reads. The ms of
 * each of `runs` fresh stores.
 */
export async function cacheReadWith(
  layout: 'keyed' | 'inline',
  count: number,
  runs: number,
): Promise<number[]> {
  const useStore = createStore(`bench-${layout}-${Date.now()}`, STORE_NAME);
  const now = Date.now();
  const writer = await openTryOnStore({ useStore });
  const avatar = await writer.keepAvatar({
    key: 'A',
    image: '',
    blob: outputBytes(0),
    createdAt: now,
  });
  for (let i = 1; i <= count; i++) {
    const blob = outputBytes(i);
    const result = {
      predictionId: `p${i}`,
      durationMs: 8000,
      createdAt: now + i,
      avatarKey: avatar.key,
    };
    if (layout === 'keyed')
      await writer.setResult(`r${i}`, { ...result, images: [], blobs: [blob] });
    else {
      const packed = { $blob: await blob.arrayBuffer(), type: blob.type };
      const record = { kind: 'result', ...result, blobs: [packed], expiresAt: avatar.expiresAt };
      await set(`result:r${i}`, record, useStore);
    }
  }
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const store = await openTryOnStore({ useStore });
    if (!(await store.getAvatar())) throw new Error('no kept avatar to read');
    await store.listPending();
    times.push(performance.now() - started);
  }
  await writer.forgetAll();
  return times;
}

declare global {
  interface Window {
    bench?: {
      firstVisit: typeof firstVisit;
      laterTryOn: typeof laterTryOn;
      cacheRead: typeof cacheRead;
      cacheReadWith: typeof cacheReadWith;
    };
  }
}
window.bench = { firstVisit, laterTryOn, cacheRead, cacheReadWith };
