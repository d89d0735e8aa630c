import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { blobToDataUrl } from '../../src/capture/data-url.js';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';
import {
  cameraReady,
  control,
  garmentDataUrl,
  imageSize,
  mount,
  press,
  record,
  replaceGetUserMedia,
  resetEmulator,
  settled,
  TrackSpy,
  unmountAll,
  waitForState,
} from './element-helpers.js';

let spy: TrackSpy;
let garment: string;

async function toCapture(
  attributes: Record<string, string> = {},
  setup?: (el: FashnTryOn) => void,
): Promise<FashnTryOn> {
  const el = await mount({ 'garment-image': garment, ...attributes }, setup);
  await press(el, 'Try it on');
  await waitForState(el, 'consent');
  await press(el, 'Continue');
  await waitForState(el, 'capture');
  return el;
}

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('<fashn-try-on> capture', () => {
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    spy = new TrackSpy().install();
  });
  afterEach(() => {
    unmountAll();
    spy.restore();
    delete (document as { visibilityState?: unknown }).visibilityState;
  });

  it('goes consent → capture → review, mirrors the preview and stops the camera once the photo is taken', async () => {
    // photo-check off: the fake camera's frame is a test pattern, not a face (a browser with a
    // FaceDetector would say "no face"); the check has its own tests (element-photo-check.test.ts).
    const el = await mount({
      'garment-image': garment,
      'privacy-url': '/privacy.html',
      'photo-check': 'off',
    });
    const events = record(el);
    await press(el, 'Try it on');
    await waitForState(el, 'consent');
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.textContent)
      .to.match(/FASHN/)
      .and.match(/only on this device/);
    expect(control(el, 'Privacy policy')!.getAttribute('href')).to.equal('/privacy.html');
    await press(el, 'Continue');
    await waitForState(el, 'capture');
    expect((control(el, 'Take photo') as HTMLButtonElement).disabled).to.equal(true);
    await cameraReady(el);
    const video = el.shadowRoot!.querySelector('video')!;
    expect(getComputedStyle(video).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    // Firefox has no playsInline property; the attribute is what iOS reads.
    expect(video.muted && video.hasAttribute('playsinline')).to.equal(true);
    // Chromium and Firefox fake one camera, WebKit's mock two.
    const cameras = (await navigator.mediaDevices.enumerateDevices()).filter(
      (device) => device.kind === 'videoinput',
    );
    expect(control(el, 'Switch camera') !== undefined).to.equal(cameras.length > 1);
    expect(control(el, 'Upload a photo')).to.not.equal(undefined);
    expect(spy.tracks.some((t) => t.readyState === 'live')).to.equal(true);
    await press(el, 'Take photo');
    await waitForState(el, 'review');
    expect(spy.allEnded()).to.equal(true);
    const photo = el.shadowRoot!.querySelector<HTMLImageElement>('img[part~="photo"]')!;
    await waitUntil(() => photo.complete && photo.naturalWidth > 0, 'photo shown');
    expect(control(el, 'Use this photo')).to.not.equal(undefined);
    await press(el, 'Retake');
    await waitForState(el, 'capture');
    expect(
      events.filter((e) => e.type === 'fashn-state-change').map((e) => e.detail.state),
    ).to.deep.equal(['consent', 'capture', 'review', 'capture']);
  });

  it("sends the camera's photo as taken: one JPEG within 1600 px and 600 KiB, no file pipeline", async () => {
    // Over the emulator: faults or speeds other files left behind go first.
    await resetEmulator();
    const sent: string[] = [];
    const el = await toCapture({ 'photo-check': 'off' }, (node) => {
      // A spy on the real request (the emulator answers): what face-to-model receives.
      node.fetch = async (input, init) => {
        if (String(input).endsWith('/run') && typeof init?.body === 'string') {
          const body = JSON.parse(init.body) as { inputs: { face_image?: string } };
          if (body.inputs.face_image) sent.push(body.inputs.face_image);
        }
        return fetch(input, init);
      };
    });
    await cameraReady(el);
    await press(el, 'Take photo');
    await waitForState(el, 'review');
    const shown = el.shadowRoot!.querySelector<HTMLImageElement>('img[part~="photo"]')!;
    const taken = await (await fetch(shown.src)).blob();
    await press(el, 'Use this photo');
    await waitUntil(() => sent.length === 1, 'face-to-model sent', { timeout: 15_000 });
    // The bytes shown at review are the bytes sent: not decoded and encoded again.
    const same = sent[0] === (await blobToDataUrl(taken));
    expect(same, 'the bytes sent are the bytes taken').to.equal(true);
    expect(taken.type).to.equal('image/jpeg');
    expect(taken.size).to.be.at.most(600 * 1024);
    const { width, height } = await imageSize(sent[0]);
    expect(Math.max(width, height)).to.be.within(1, 1600);
    // The file pipeline (validation, decoding, EXIF) is a chunk a camera shopper never loads.
    const loaded = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(loaded.filter((name) => name.includes('/capture/normalize'))).to.deep.equal([]);
    await waitForState(el, 'result', 30_000);
  });

  it('a photo the browser cannot make stops the camera and offers Try again, never a dead end', async () => {
    const el = await toCapture({ 'photo-check': 'off' });
    await cameraReady(el);
    const events = record(el);
    const encode = OffscreenCanvas.prototype.convertToBlob;
    OffscreenCanvas.prototype.convertToBlob = () =>
      Promise.reject(new DOMException('no encoder', 'NotSupportedError'));
    try {
      await press(el, 'Take photo');
      await waitUntil(() => control(el, 'Try again') !== undefined, 'Try again offered');
    } finally {
      OffscreenCanvas.prototype.convertToBlob = encode;
    }
    expect(el.state).to.equal('capture');
    expect(spy.allEnded()).to.equal(true);
    expect(events.find((e) => e.type === 'fashn-error')!.detail.code).to.equal(
      'camera-unavailable',
    );
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.not.equal(null);
    await press(el, 'Try again');
    await cameraReady(el);
    await press(el, 'Take photo');
    await waitForState(el, 'review');
  });

  it('stops the camera when the dialog closes, and returns to idle', async () => {
    const el = await toCapture();
    await waitUntil(() => spy.tracks.length > 0, 'camera started');
    await press(el, 'Close');
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    expect(el.state).to.equal('idle');
    await waitUntil(() => spy.allEnded(), 'tracks ended');
  });

  it('stops the camera when the element is removed', async () => {
    const el = await toCapture();
    await cameraReady(el);
    el.remove();
    // A camera request still in flight when the element goes is stopped as it arrives.
    await waitUntil(() => spy.allEnded(), 'camera stopped after removal');
  });

  it('stops the camera while the page is hidden and restarts it when visible again', async () => {
    const el = await toCapture();
    await cameraReady(el);
    setVisibility('hidden');
    expect(spy.allEnded()).to.equal(true);
    const before = spy.tracks.length;
    setVisibility('visible');
    await waitUntil(() => spy.tracks.length > before, 'camera restarted');
    await cameraReady(el);
  });

  it('stops the camera on an error (a bad photo handed in while capturing)', async () => {
    const el = await toCapture();
    await cameraReady(el);
    const events = record(el);
    const failure = await el
      .useSelfie(new Blob(['not an image'], { type: 'text/plain' }))
      .catch((e) => e);
    expect(failure.code).to.equal('invalid-image');
    expect(el.state).to.equal('error');
    expect(spy.allEnded()).to.equal(true);
    const error = events.find((e) => e.type === 'fashn-error')!.detail;
    expect(error).to.include({ code: 'invalid-image', step: 'avatar', retriable: false });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.match(/JPEG or PNG/);
    await press(el, 'Retake');
    await waitForState(el, 'capture');
  });

  it('explains a denied camera and keeps upload available', async () => {
    replaceGetUserMedia(() =>
      Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
    );
    const el = await mount({ 'garment-image': garment });
    const events = record(el);
    await press(el, 'Try it on');
    await press(el, 'Continue');
    await waitUntil(() => events.some((e) => e.type === 'fashn-error'), 'camera error');
    await el.updateComplete;
    expect(events.find((e) => e.type === 'fashn-error')!.detail).to.include({
      code: 'camera-denied',
      step: 'capture',
      retriable: false,
    });
    expect(el.state).to.equal('capture');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.match(/upload a photo/i);
    expect(control(el, 'Take photo')).to.equal(undefined);
    expect(control(el, 'Upload a photo')).to.not.equal(undefined);
    await settled(el);
    await expect(el).to.be.accessible();
  });

  it('offers the camera again, not upload, when the shop allows only the camera', async () => {
    const working = MediaDevices.prototype.getUserMedia;
    replaceGetUserMedia(() =>
      Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
    );
    const el = await mount({ 'garment-image': garment, capture: 'camera' });
    const events = record(el);
    await press(el, 'Try it on');
    await press(el, 'Continue');
    await waitUntil(() => events.some((e) => e.type === 'fashn-error'), 'camera error');
    await el.updateComplete;
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!.textContent;
    expect(alert).to.match(/try again/i);
    expect(alert).to.not.match(/upload/i);
    expect(events.find((e) => e.type === 'fashn-error')!.detail.message).to.equal(alert.trim());
    expect(control(el, 'Upload a photo')).to.equal(undefined);
    await settled(el);
    await expect(el).to.be.accessible();
    replaceGetUserMedia(working);
    await press(el, 'Try again');
    await cameraReady(el);
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    expect(control(el, 'Take photo')).to.not.equal(undefined);
  });

  it('maps a missing, busy or unsupported camera to camera-unavailable', async () => {
    for (const failure of [
      () => Promise.reject(new DOMException('none', 'NotFoundError')),
      () => Promise.reject(new DOMException('busy', 'NotReadableError')),
      undefined,
    ]) {
      replaceGetUserMedia(failure);
      const el = await mount({ 'garment-image': garment });
      const events = record(el);
      await press(el, 'Try it on');
      await press(el, 'Continue');
      await waitUntil(() => events.some((e) => e.type === 'fashn-error'), 'camera error');
      expect(events.find((e) => e.type === 'fashn-error')!.detail.code).to.equal(
        'camera-unavailable',
      );
      unmountAll();
    }
  });

  it('keeps keyboard focus in the dialog, closes on Escape and returns focus to the trigger', async () => {
    // Keys reach only a focused window: a page that lost the window's focus (an earlier test
    // file's download opened Firefox's Downloads panel) gets them, but Enter clicks nothing.
    expect(document.hasFocus(), 'the page has the window’s focus').to.equal(true);
    const el = await mount({ 'garment-image': garment });
    const trigger = control(el, 'Try it on')!;
    trigger.focus();
    await waitUntil(() => el.shadowRoot!.activeElement === trigger, 'trigger focused');
    await sendKeys({ press: 'Enter' });
    await waitForState(el, 'consent');
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.getAttribute('aria-labelledby')).to.equal('title');
    for (let i = 0; i < 6; i++) {
      await sendKeys({ press: 'Tab' });
      const active = el.shadowRoot!.activeElement;
      expect(active && dialog.contains(active), `tab ${i}: ${active?.outerHTML}`).to.equal(true);
    }
    await press(el, 'Continue');
    await waitForState(el, 'capture');
    await cameraReady(el);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'dialog closed');
    expect(el.state).to.equal('idle');
    expect(spy.allEnded()).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(trigger);
  });

  it('uses a slotted trigger in place of the button', async () => {
    const el = await mount({ 'garment-image': garment }, (node) => {
      const button = document.createElement('button');
      button.slot = 'trigger';
      button.textContent = 'See it on me';
      node.append(button);
    });
    el.querySelector<HTMLButtonElement>('[slot="trigger"]')!.click();
    await waitForState(el, 'consent');
    await press(el, 'Close');
    expect(document.activeElement).to.equal(el.querySelector('[slot="trigger"]'));
  });
});
