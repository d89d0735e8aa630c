/**
 * Shared helpers of the element's browser tests: mounting, finding controls by
 * their accessible names, recording events, the emulator's controls, and
 * keeping hold of camera tracks so tests can check they were stopped.
 */
import { waitUntil } from '@open-wc/testing';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';
import { EVENT_NAMES, type FashnEventName, type FashnState } from '../../src/element/events.js';
import '../../src/index.js';

declare global {
  // Mocha's globals (no @types/mocha in this project).
  function describe(name: string, body: () => void): void;
  function it(name: string, body: () => Promise<void> | void): void;
  function beforeEach(body: () => Promise<void> | void): void;
  function afterEach(body: () => Promise<void> | void): void;
}

/** Resets the emulator: fast predictions, no faults, empty log. */
export async function resetEmulator(speed = 0.02): Promise<void> {
  const answer = await fetch('/emulator/__control/reset', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ speed, jitter: 0 }),
  });
  if (!answer.ok) throw new Error(`emulator reset: HTTP ${answer.status}`);
}

import type { FaultRule } from '../../src/emulator/types.js';

export type { FaultRule };

export async function addFault(rule: FaultRule | FaultRule[]): Promise<void> {
  const answer = await fetch('/emulator/__control/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  if (!answer.ok) throw new Error(`emulator faults: HTTP ${answer.status}`);
}

export interface LoggedRequest {
  method: string;
  kind: string;
  model?: string;
  predictionId?: string;
}

/** The FASHN API requests (run, status, cancel) the emulator has seen since its reset. */
export async function emulatorLog(): Promise<LoggedRequest[]> {
  const answer = await fetch('/emulator/__control/log');
  const { requests } = (await answer.json()) as { requests: LoggedRequest[] };
  return requests.filter((r) => r.kind === 'run' || r.kind === 'status' || r.kind === 'cancel');
}

/**
 * Mounts an element from attributes in a fresh container. `remember="false"`
 * unless given, so each element keeps its avatar to itself.
 */
export async function mount(
  attributes: Record<string, string> = {},
  setup: (el: FashnTryOn) => void = () => {},
): Promise<FashnTryOn> {
  const el = document.createElement('fashn-try-on');
  for (const [name, value] of Object.entries({ remember: 'false', ...attributes }))
    el.setAttribute(name, value);
  setup(el);
  const host = document.createElement('div');
  host.className = 'fashn-test-host';
  host.append(el);
  document.body.append(host);
  await el.updateComplete;
  return el;
}

/** Removes what `mount` added (and closes dialogs, which stops cameras). */
export function unmountAll(): void {
  for (const host of document.querySelectorAll('.fashn-test-host')) host.remove();
}

/** The visible control whose accessible name (text or aria-label) is `name`. */
export function control(el: FashnTryOn, name: string): HTMLElement | undefined {
  const candidates = el.shadowRoot!.querySelectorAll<HTMLElement>('button, a, label');
  return [...candidates].find(
    (node) => (node.getAttribute('aria-label') ?? node.textContent ?? '').trim() === name,
  );
}

export function names(el: FashnTryOn): string[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('button, a, label')].map((node) =>
    (node.getAttribute('aria-label') ?? node.textContent ?? '').trim(),
  );
}

/** Clicks the control named `name`, failing clearly when it is not there. */
export async function press(el: FashnTryOn, name: string): Promise<void> {
  await el.updateComplete;
  const node = control(el, name);
  if (!node) throw new Error(`no control "${name}" in state ${el.state}: ${names(el).join(', ')}`);
  if ((node as HTMLButtonElement).disabled) throw new Error(`"${name}" is disabled`);
  node.click();
  await el.updateComplete;
}

export async function waitForState(el: FashnTryOn, state: FashnState, timeout = 15_000) {
  await waitUntil(() => el.state === state, `state ${state} (now ${el.state})`, { timeout });
  await el.updateComplete;
}

export interface Recorded {
  type: FashnEventName;
  // Tests read the fields of whichever event they picked by `type`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  detail: any;
}

/** Records every fashn-* event dispatched from `el`, in order. */
export function record(el: EventTarget): Recorded[] {
  const seen: Recorded[] = [];
  for (const type of EVENT_NAMES)
    el.addEventListener(type, (event) =>
      seen.push({ type, detail: (event as CustomEvent).detail }),
    );
  return seen;
}

/**
 * getUserMedia lives on `MediaDevices.prototype` here, not on `navigator.mediaDevices`:
 * WebKit may collect that object's wrapper during a test and hand out a fresh one
 * without the properties a test set on it (the spy and stubs were lost so, mid-test).
 */
const mediaDevices = MediaDevices.prototype;
const nativeGetUserMedia = mediaDevices.getUserMedia;

/** Replaces the browser's getUserMedia (`undefined`: a browser without one) until `TrackSpy.restore()`. */
export function replaceGetUserMedia(replacement: MediaDevices['getUserMedia'] | undefined): void {
  (mediaDevices as { getUserMedia?: unknown }).getUserMedia = replacement;
}

/** Keeps every camera track the page opens, so tests can check they were stopped. */
export class TrackSpy {
  readonly tracks: MediaStreamTrack[] = [];

  install(): this {
    const tracks = this.tracks;
    replaceGetUserMedia(async function (this: MediaDevices, constraints) {
      const stream = await nativeGetUserMedia.call(this, constraints);
      tracks.push(...stream.getTracks());
      return stream;
    });
    return this;
  }

  /** The browser's own getUserMedia again (stubs included). */
  restore(): void {
    replaceGetUserMedia(nativeGetUserMedia);
  }

  allEnded(): boolean {
    return this.tracks.length > 0 && this.tracks.every((track) => track.readyState === 'ended');
  }
}

/** Waits until the camera shows real frames ("Take photo" enabled). */
export async function cameraReady(el: FashnTryOn): Promise<void> {
  await waitUntil(
    () => {
      const take = control(el, 'Take photo') as HTMLButtonElement | undefined;
      return take !== undefined && !take.disabled;
    },
    'camera ready',
    { timeout: 10_000 },
  );
}

/** Width and height of an image given as a data: URL. */
export async function imageSize(dataUrl: string): Promise<{ width: number; height: number }> {
  const blob = await (await fetch(dataUrl)).blob();
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}

/** A small garment photo as a data: URL (the emulator needs nothing from the network). */
export async function garmentDataUrl(): Promise<string> {
  const { makeJpeg } = await import('../support/images.js');
  const blob = await makeJpeg(96, 128, { pattern: 'quadrants' });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/jpeg;base64,${btoa(binary)}`;
}

/**
 * Waits until the element's finite CSS animations (a step's fade-in) have
 * ended, so axe judges colours as the shopper sees them, not mid-fade.
 * Endless ones (the spinner) are left alone.
 */
export async function settled(el: HTMLElement): Promise<void> {
  const animations = el
    .shadowRoot!.getAnimations()
    .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
  await Promise.all(animations.map((animation) => animation.finished.catch(() => undefined)));
}
