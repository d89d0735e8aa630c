import { expect, waitUntil } from '@open-wc/testing';
import type { FashnErrorDetail } from '../../src/api/errors.js';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';
import { makeJpeg } from '../support/images.js';
import { es } from '../../src/i18n/es.js';
import {
  addFault,
  control,
  emulatorLog,
  garmentDataUrl,
  mount,
  press,
  record,
  resetEmulator,
  unmountAll,
  waitForState,
  type FaultRule,
} from './element-helpers.js';

let garment: string;
let selfie: Blob;

/** Runs useSelfie with `fault` injected; returns the element, its events and the rejection. */
async function failWith(fault: FaultRule | FaultRule[], attributes: Record<string, string> = {}) {
  await addFault(fault);
  const el = await mount({ 'garment-image': garment, layout: 'inline', ...attributes });
  const events = record(el);
  const failure = await el.useSelfie(selfie).then(
    () => undefined,
    (e) => e,
  );
  await el.updateComplete;
  const errors = events.filter((e) => e.type === 'fashn-error').map((e) => e.detail);
  return { el, events, failure, errors };
}

function alertText(el: FashnTryOn): string {
  return el.shadowRoot!.querySelector('[role="alert"]')?.textContent?.trim() ?? '';
}

describe('<fashn-try-on> errors and their ways out', () => {
  // The element's console warnings for the developer are expected here (element-first-use
  // tests them); kept out of the test output, anything else is passed on.
  const warn = console.warn;
  beforeEach(async () => {
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).startsWith('<fashn-try-on>')) warn(...args);
    };
    garment ??= await garmentDataUrl();
    selfie ??= await makeJpeg(480, 640, { pattern: 'photo' });
    await resetEmulator();
  });
  afterEach(() => {
    console.warn = warn;
    unmountAll();
  });

  it('retries a 429 by itself and succeeds, reporting "retrying"', async () => {
    const { el, events, failure, errors } = await failWith({
      kind: 'run',
      model: 'face-to-model',
      times: 1,
      status: 429,
      body: { error: 'RateLimitExceeded', message: 'Too many requests' },
      headers: { 'retry-after': '0' },
    });
    expect(failure).to.equal(undefined);
    expect(errors).to.deep.equal([]);
    expect(el.state).to.equal('result');
    expect(
      events.some((e) => e.type === 'fashn-progress' && e.detail.status === 'retrying'),
    ).to.equal(true);
  });

  it('out of credits: "unavailable", nothing to retry or retake; the page stops asking for selfies', async () => {
    // A proxy URL of its own: what the page learns here stays out of the other tests.
    const proxy = { 'proxy-url': '/shop-proxy/same-out-of-credits/' };
    const { el, failure, errors } = await failWith(
      { kind: 'run', status: 429, body: { error: 'OutOfCredits', message: 'No credits' } },
      proxy,
    );
    expect(failure.code).to.equal('out-of-credits');
    expect(errors[0]).to.include({
      code: 'out-of-credits',
      step: 'avatar',
      retriable: false,
      httpStatus: 429,
    });
    expect(failure.message).to.equal(errors[0].message);
    expect(el.state).to.equal('error');
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal(
      'Try-on is unavailable right now',
    );
    expect(alertText(el)).to.match(/try again later/i);
    expect(control(el, 'Try again')).to.equal(undefined);
    expect(control(el, 'Retake')).to.equal(undefined);
    await expect(el).to.be.accessible();
    await press(el, 'Close');
    expect(el.state).to.equal('idle');
    // The proxy forgets (as one without a credits endpoint never knew): the page itself
    // learned from the run. This element opened again, and another on the page, say
    // "unavailable" at once: no consent, no camera, no run.
    await resetEmulator();
    const other = await mount({ 'garment-image': garment, layout: 'inline', ...proxy });
    for (const element of [el, other]) {
      const states = record(element);
      await press(element, 'Try it on');
      await waitForState(element, 'error');
      expect(
        states.filter((e) => e.type === 'fashn-state-change').map((e) => e.detail.state),
      ).to.deep.equal(['error']);
      expect(element.shadowRoot!.querySelector('h2')!.textContent).to.equal(
        'Try-on is unavailable right now',
      );
    }
    expect((await emulatorLog()).filter((r) => r.kind === 'run')).to.have.length(0);
  });

  it('a refused key: "unavailable" too, nothing to retake', async () => {
    const { el, errors } = await failWith({
      kind: 'run',
      status: 401,
      body: { error: 'UnauthorizedAccess', message: 'Unauthorized: Invalid token' },
    });
    expect(errors[0]).to.include({ code: 'unauthorized', retriable: false });
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal(
      'Try-on is unavailable right now',
    );
    expect(control(el, 'Retake')).to.equal(undefined);
  });

  it('unauthorized proxy answer is reported as unauthorized', async () => {
    const { el, errors } = await failWith({
      kind: 'run',
      status: 401,
      body: { error: 'UnauthorizedAccess', message: 'Unauthorized: Invalid token' },
    });
    expect(errors[0]).to.include({ code: 'unauthorized', retriable: false });
    expect(el.state).to.equal('error');
    expect(JSON.stringify(errors)).to.not.match(/token/i);
  });

  it('PoseError asks for a retake facing the camera; Retake goes back to capture', async () => {
    const { el, errors } = await failWith({
      kind: 'run',
      model: 'face-to-model',
      fail: { name: 'PoseError', message: 'No face detected' },
    });
    expect(errors[0]).to.include({
      code: 'prediction-failed',
      fashnName: 'PoseError',
      step: 'avatar',
      retriable: false,
    });
    expect(errors[0].predictionId).to.be.a('string');
    expect(alertText(el)).to.match(/facing the camera/);
    await press(el, 'Retake');
    await waitForState(el, 'capture');
    await press(el, 'Close');
  });

  it('an unloadable garment is the shop’s problem: the shopper is told to try another item', async () => {
    const { el, errors } = await failWith({
      kind: 'run',
      model: 'tryon-v1.6',
      fail: { name: 'ImageLoadError', message: 'Could not load garment_image' },
    });
    expect(errors[0]).to.include({
      code: 'prediction-failed',
      fashnName: 'ImageLoadError',
      step: 'tryon',
    });
    expect(alertText(el)).to.match(/can’t be tried on right now/);
  });

  it('content moderation explains that this photo cannot be used', async () => {
    const { el, errors } = await failWith({
      kind: 'run',
      model: 'face-to-model',
      fail: { name: 'ContentModerationError' },
    });
    expect(errors[0]).to.include({ fashnName: 'ContentModerationError' });
    expect(alertText(el)).to.match(/choose another/);
  });

  it('an unreachable proxy is a network error; Try again runs the failed step', async () => {
    const el = await mount({ 'garment-image': garment, layout: 'inline' });
    await el.useSelfie(selfie);
    el.proxyUrl = 'http://127.0.0.1:9/api/fashn'; // nothing listens on the discard port
    el.seed = 7; // not the look already kept
    const events = record(el);
    const failure = await el.tryOn().catch((e) => e);
    await el.updateComplete;
    expect(failure).to.include({ code: 'network', step: 'tryon', retriable: true });
    expect(
      events.some((e) => e.type === 'fashn-progress' && e.detail.status === 'retrying'),
    ).to.equal(true);
    expect(alertText(el)).to.match(/connection/i);
    el.proxyUrl = '/api/fashn';
    await press(el, 'Try again');
    await waitForState(el, 'result');
    const runs = events.filter((e) => e.type === 'fashn-before-run').map((e) => e.detail.model);
    expect(runs).to.deep.equal(['tryon-v1.6', 'tryon-v1.6']); // the avatar was kept
  });

  it('FASHN lost behind the proxy: the run may have started, so it is not re-sent; Try again is offered', async () => {
    const { el, errors } = await failWith({
      kind: 'run',
      model: 'tryon-v1.6',
      network: true,
      times: 20,
    });
    expect(errors[0]).to.include({
      code: 'network',
      fashnName: 'RunOutcomeUnknown',
      step: 'tryon',
      retriable: true,
    });
    const tryons = (await emulatorLog()).filter(
      (r) => r.kind === 'run' && r.model === 'tryon-v1.6',
    );
    expect(tryons).to.have.length(1);
    expect(control(el, 'Try again')).to.not.equal(undefined);
  });

  it('a retriable failed prediction (PipelineError) offers Try again', async () => {
    const { el, errors } = await failWith({
      kind: 'run',
      model: 'face-to-model',
      times: 2, // the client itself runs a PipelineError once more
      fail: { name: 'PipelineError' },
    });
    expect(errors[0]).to.include({ fashnName: 'PipelineError', retriable: true, step: 'avatar' });
    await press(el, 'Try again');
    await waitForState(el, 'result');
  });

  it('reports an invalid attribute, names it, and keeps working with the default', async () => {
    const el = document.createElement('fashn-try-on');
    const seen: FashnErrorDetail[] = [];
    el.addEventListener('fashn-error', (e) => seen.push(e.detail));
    el.setAttribute('remember', 'false');
    el.setAttribute('num-samples', '12');
    el.setAttribute('layout', 'inline');
    el.setAttribute('garment-image', garment);
    const host = document.createElement('div');
    host.className = 'fashn-test-host';
    host.append(el);
    document.body.append(host);
    await el.updateComplete;
    expect(seen).to.have.length(1);
    expect(seen[0]).to.include({
      code: 'invalid-config',
      step: 'config',
      attribute: 'num-samples',
      retriable: false,
    });
    el.setAttribute('mode', 'warp');
    await el.updateComplete;
    expect(seen.map((d) => d.attribute)).to.deep.equal(['num-samples', 'mode']);
    const samples: number[] = [];
    el.addEventListener('fashn-before-run', (e) => {
      if (e.detail.model === 'tryon-v1.6') samples.push(e.detail.inputs.num_samples!);
    });
    const result = await el.useSelfie(selfie);
    expect(result.images).to.have.length(1);
    expect(samples).to.deep.equal([1]);
  });

  it('reports an invalid attribute in the page language, once its table has loaded', async () => {
    const host = document.createElement('div');
    host.className = 'fashn-test-host';
    host.lang = 'es-MX';
    const el = document.createElement('fashn-try-on');
    const seen: FashnErrorDetail[] = [];
    el.addEventListener('fashn-error', (e) => seen.push(e.detail));
    el.setAttribute('remember', 'false');
    el.setAttribute('mode', 'warp');
    host.append(el);
    document.body.append(host);
    await el.updateComplete;
    expect(control(el, 'Pruébatelo')).to.not.equal(undefined);
    expect(seen).to.have.length(1);
    expect(seen[0].attribute).to.equal('mode');
    expect(seen[0].message).to.equal(es['error.invalid-config']);
    expect(seen[0].developerMessage).to.equal(
      'mode: expected one of performance, balanced, quality',
    );
  });

  it('a missing garment-image is reported when a try-on is attempted', async () => {
    const el = await mount({ layout: 'inline' });
    const events = record(el);
    const failure = await el.useSelfie(selfie).catch((e) => e);
    expect(failure).to.include({
      code: 'invalid-config',
      attribute: 'garment-image',
      step: 'config',
    });
    expect(el.state).to.equal('error');
    expect(events.find((e) => e.type === 'fashn-error')!.detail.attribute).to.equal(
      'garment-image',
    );
    expect((await emulatorLog()).length).to.equal(0);
  });

  it('refuses a file that is not an image before any request', async () => {
    const el = await mount({ 'garment-image': garment, layout: 'inline' });
    const failure = await el.useSelfie(new Blob([new Uint8Array([1, 2, 3])])).catch((e) => e);
    expect(failure.code).to.equal('invalid-image');
    await waitUntil(() => el.state === 'error');
    expect((await emulatorLog()).length).to.equal(0);
  });
});
