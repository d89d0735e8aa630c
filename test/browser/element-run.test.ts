import { expect, waitUntil } from '@open-wc/testing';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';
import { PageMemory } from '../../src/cache/fallback.js';
import { QUADRANT_COLORS, isColor, makeJpeg, readPixels } from '../support/images.js';
import {
  TrackSpy,
  cameraReady,
  control,
  emulatorLog,
  garmentDataUrl,
  imageSize,
  mount,
  press,
  record,
  resetEmulator,
  unmountAll,
  waitForState,
} from './element-helpers.js';

let garment: string;

/** Hands `file` to the upload input as a shopper's pick would. */
function upload(el: FashnTryOn, file: File): void {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
  expect(input.accept).to.equal('image/*');
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Drops `file` onto the capture area. */
function drop(el: FashnTryOn, file: File): void {
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const area = el.shadowRoot!.querySelector('[part~="drop"]')!;
  area.dispatchEvent(
    new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }),
  );
  area.dispatchEvent(
    new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
  );
}

async function toCapture(attributes: Record<string, string> = {}): Promise<FashnTryOn> {
  const el = await mount({ 'garment-image': garment, layout: 'inline', ...attributes });
  await press(el, 'Try it on');
  await press(el, 'Continue');
  await waitForState(el, 'capture');
  return el;
}

function faceImages(events: ReturnType<typeof record>): string[] {
  return events
    .filter((e) => e.type === 'fashn-before-run' && e.detail.model === 'face-to-model')
    .map((e) => e.detail.inputs.face_image);
}

describe('<fashn-try-on> runs against the emulator', () => {
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    await resetEmulator();
  });
  afterEach(() => unmountAll());

  it('takes a selfie and shows the look, with events in order', async () => {
    const spy = new TrackSpy().install();
    try {
      // photo-check off: the fake camera's frame is not a face (element-photo-check.test.ts
      // takes the camera path with the check on and "Use anyway").
      const el = await mount({
        'garment-image': garment,
        'avatar-prompt': 'athletic build',
        'photo-check': 'off',
      });
      const events = record(el);
      await press(el, 'Try it on');
      await press(el, 'Continue');
      await waitForState(el, 'capture');
      await cameraReady(el);
      await press(el, 'Take photo');
      await waitForState(el, 'review');
      expect(spy.allEnded()).to.equal(true);
      await press(el, 'Use this photo');
      await waitForState(el, 'result');

      const order = events
        .filter((e) => e.type !== 'fashn-progress')
        .map((e) => (e.type === 'fashn-state-change' ? e.detail.state : e.type));
      // The funnel's events among the flow's: opened, consent granted, photo taken.
      expect(order).to.deep.equal([
        'fashn-open',
        'consent',
        'fashn-consent',
        'capture',
        'fashn-capture',
        'review',
        'avatar',
        'fashn-before-run',
        'fashn-avatar',
        'tryon',
        'fashn-before-run',
        'result',
        'fashn-result',
      ]);
      const [faceRun, tryonRun] = events.filter((e) => e.type === 'fashn-before-run');
      expect(faceRun.detail.inputs).to.include({
        prompt: 'athletic build',
        aspect_ratio: '2:3',
        output_format: 'jpeg',
        return_base64: true,
      });
      expect(faceRun.detail.inputs.face_image).to.match(/^data:image\/jpeg;base64,/);
      expect(tryonRun.detail.inputs).to.deep.include({
        model_image: el.avatar,
        garment_image: garment,
        category: 'auto',
        mode: 'balanced',
        num_samples: 1,
        seed: 42,
        segmentation_free: true,
        return_base64: true,
      });
      const progress = events.filter((e) => e.type === 'fashn-progress').map((e) => e.detail);
      expect(progress[0]).to.include({ step: 'avatar', status: 'preparing' });
      expect(progress.some((p) => p.step === 'tryon' && p.predictionId)).to.equal(true);

      const result = events.find((e) => e.type === 'fashn-result')!.detail;
      expect(result).to.include({ garmentImage: garment, cached: false, avatarCached: false });
      expect(result.images).to.have.length(1);
      expect(el.results).to.deep.equal(result.images);
      const shown = el.shadowRoot!.querySelector<HTMLImageElement>('img[part~="result"]')!;
      expect(shown.src).to.equal(result.images[0]);
      await waitUntil(() => shown.complete && shown.naturalWidth > 0, 'result image decodes');
      expect(control(el, 'Download')!.getAttribute('href')).to.equal(result.images[0]);
      expect(control(el, 'Download')!.hasAttribute('download')).to.equal(true);

      // Before/after shows the avatar.
      await press(el, 'Before');
      expect(el.shadowRoot!.querySelector<HTMLImageElement>('img[part~="avatar"]')!.src).to.equal(
        el.avatar,
      );
      await press(el, 'After');
      const log = await emulatorLog();
      expect(log.filter((r) => r.kind === 'run').map((r) => r.model)).to.deep.equal([
        'face-to-model',
        'tryon-v1.6',
      ]);
    } finally {
      spy.restore();
    }
  });

  it('uploads a 4032×3024 photo and sends it at most 1600 px', async () => {
    const el = await toCapture({ capture: 'upload' });
    const events = record(el);
    const file = new File([await makeJpeg(4032, 3024, { pattern: 'photo' })], 'big.jpg', {
      type: 'image/jpeg',
    });
    upload(el, file);
    await waitForState(el, 'review');
    await press(el, 'Use this photo');
    await waitForState(el, 'result');
    const [face] = faceImages(events);
    expect(await imageSize(face)).to.deep.equal({ width: 1600, height: 1200 });
    expect(atob(face.split(',')[1]).length).to.be.at.most(600 * 1024);
  });

  it('applies EXIF orientation of a dropped photo before sending it', async () => {
    const el = await toCapture({ capture: 'upload' });
    const events = record(el);
    // Stored 1200×800 landscape; orientation 6 means "turn 90° clockwise to show".
    const blob = await makeJpeg(1200, 800, { orientation: 6 });
    drop(el, new File([blob], 'rotated.jpg', { type: 'image/jpeg' }));
    await waitForState(el, 'review');
    await press(el, 'Use this photo');
    await waitForState(el, 'result');
    const face = await (await fetch(faceImages(events)[0])).blob();
    const pixels = await readPixels(face);
    expect([pixels.width, pixels.height]).to.deep.equal([800, 1200]);
    expect(
      isColor(pixels.at(600, 300), QUADRANT_COLORS.topLeft),
      'top right was stored top left',
    ).to.equal(true);
    expect(isColor(pixels.at(200, 300), QUADRANT_COLORS.bottomLeft)).to.equal(true);
  });

  it('useSelfie goes straight to the result; a returning shopper skips consent and capture', async () => {
    const memory = new PageMemory();
    const el = await mount({ 'garment-image': garment }, (node) => (node.memory = memory));
    const result = await el.useSelfie(await makeJpeg(640, 800, { pattern: 'photo' }));
    expect(el.state).to.equal('result');
    expect(result.images).to.have.length(1);
    el.close();
    unmountAll();

    // Another product page, same memory: "Try it on" goes straight to try-on.
    const other = await garmentDataUrl();
    const next = await mount(
      { 'garment-image': other, 'num-samples': '2' },
      (node) => (node.memory = memory),
    );
    const events = record(next);
    await waitUntil(() => next.avatar !== undefined, 'kept avatar loaded');
    await press(next, 'Try it on');
    await waitForState(next, 'result');
    const states = events.filter((e) => e.type === 'fashn-state-change').map((e) => e.detail.state);
    expect(states).to.deep.equal(['tryon', 'result']);
    const shown = events.find((e) => e.type === 'fashn-result')!.detail;
    expect(shown).to.include({ avatarCached: true, cached: false });
    expect(shown.images).to.have.length(2);
    expect(next.shadowRoot!.querySelectorAll('[part~="sample"]')).to.have.length(2);

    // The same look again comes from memory, without a prediction.
    await press(next, 'Close');
    const runsBefore = (await emulatorLog()).filter((r) => r.kind === 'run').length;
    const again = await next.tryOn();
    expect(again.cached).to.equal(true);
    expect((await emulatorLog()).filter((r) => r.kind === 'run').length).to.equal(runsBefore);

    // "Try another look" is a new seed: only tryon runs again.
    const seeds: number[] = [];
    next.addEventListener('fashn-before-run', (e) =>
      seeds.push((e.detail.inputs as { seed: number }).seed),
    );
    await press(next, 'Try another look');
    await waitForState(next, 'result');
    expect(seeds).to.have.length(1);
    expect(seeds[0]).to.not.equal(42);

    // "Delete my photo" forgets everything; consent is asked again.
    await press(next, 'Delete my photo');
    expect(next.state).to.equal('idle');
    expect(next.avatar).to.equal(undefined);
    expect(await memory.getAvatar()).to.equal(undefined);
    await press(next, 'Try it on');
    await waitForState(next, 'consent');
  });

  it('cancel() sends cancel, rejects with canceled and leaves avatar or tryon', async () => {
    const el = await mount({ 'garment-image': garment, layout: 'inline' });
    await el.useSelfie(await makeJpeg(400, 500, { pattern: 'photo' }));
    await resetEmulator(1); // slow enough to cancel while waiting
    const events = record(el);
    const issued = () => events.some((e) => e.type === 'fashn-progress' && e.detail.predictionId);

    el.seed = 5; // a look not kept yet
    const pending = el.tryOn();
    await waitUntil(issued, 'try-on prediction issued', { timeout: 5000 });
    expect(el.state).to.equal('tryon');
    el.cancel();
    expect(el.state).to.equal('review'); // the photo is still held
    expect(await pending.catch((e) => e)).to.include({ code: 'canceled' });
    await waitUntil(
      async () => (await emulatorLog()).some((r) => r.kind === 'cancel'),
      'cancel sent',
      { timeout: 5000 },
    );

    events.length = 0;
    const again = el.useSelfie(await makeJpeg(400, 500));
    await waitUntil(issued, 'avatar prediction issued', { timeout: 5000 });
    await press(el, 'Cancel');
    expect(el.state).to.equal('review');
    expect(await again.catch((e) => e)).to.include({ code: 'canceled', step: 'avatar' });
    expect(events.filter((e) => e.type === 'fashn-error').map((e) => e.detail)).to.deep.equal([
      { code: 'canceled', message: 'Canceled.', step: 'avatar', retriable: false },
    ]);
  });

  it('a fashn-before-run veto stops the call without an error event', async () => {
    const el = await mount({ 'garment-image': garment, layout: 'inline' });
    const events = record(el);
    el.addEventListener('fashn-before-run', (e) => e.preventDefault());
    const failure = await el.useSelfie(await makeJpeg(400, 500)).catch((e) => e);
    expect(failure.code).to.equal('canceled');
    expect(el.state).to.equal('review');
    expect(events.some((e) => e.type === 'fashn-error')).to.equal(false);
    expect((await emulatorLog()).filter((r) => r.kind === 'run')).to.deep.equal([]);
  });

  it('speaks German with lang="de" and switches when lang changes', async () => {
    const wrapper = document.createElement('div');
    wrapper.className = 'fashn-test-host';
    wrapper.lang = 'de';
    wrapper.innerHTML = '<fashn-try-on layout="inline" remember="false"></fashn-try-on>';
    document.body.append(wrapper);
    const el = wrapper.querySelector('fashn-try-on')!;
    await el.updateComplete;
    expect(control(el, 'Anprobieren')).to.not.equal(undefined);
    await press(el, 'Anprobieren');
    expect(control(el, 'Weiter')).to.not.equal(undefined);
    expect(control(el, 'Schließen')).to.not.equal(undefined);
    wrapper.lang = 'fr';
    await waitUntil(() => control(el, 'Continuer') !== undefined, 'French after lang change');
    el.strings = { continue: 'Allons-y' };
    await el.updateComplete;
    expect(control(el, 'Allons-y')).to.not.equal(undefined);
  });
});
