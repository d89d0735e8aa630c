import { expect, waitUntil } from '@open-wc/testing';
import {
  TrackSpy,
  control,
  garmentDataUrl,
  mount,
  press,
  resetEmulator,
  settled,
  unmountAll,
  waitForState,
} from './element-helpers.js';
import { recordAll } from './conversion-helpers.js';

// The credits check before the selfie, over the real wire: the reference proxy
// of this branch has no /credits (nothing may change), and a shop-written proxy
// (a route of the test server) whose /credits says try-on is unavailable.

let garment: string;

/** The requests this page made to `path`, as the browser's resource timing saw them. */
const requestsTo = (path: string) =>
  performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname === path)
    .length;

describe('<fashn-try-on> credits before the selfie', () => {
  let spy: TrackSpy;
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    await resetEmulator();
    // The default buffer (250) is full of this page's modules by now.
    performance.setResourceTimingBufferSize(10_000);
    spy = new TrackSpy().install();
  });
  afterEach(() => {
    unmountAll();
    spy.restore();
  });

  it('a proxy without the endpoint changes nothing, and is asked at most once per page', async () => {
    const el = await mount({ 'garment-image': garment });
    const other = await mount({ 'garment-image': garment, layout: 'inline' });
    const seen = recordAll(el);
    const trigger = el.shadowRoot!.querySelector<HTMLElement>('[part~="trigger"]')!;
    trigger.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
    await press(el, 'Try it on');
    await waitForState(el, 'consent');
    await press(el, 'Close');
    await waitForState(el, 'idle');
    await press(el, 'Try it on');
    await waitForState(el, 'consent');
    await press(other, 'Try it on');
    await waitForState(other, 'consent');
    await waitUntil(() => requestsTo('/api/fashn/credits') > 0, 'credits asked');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requestsTo('/api/fashn/credits')).to.equal(1);
    expect(seen.filter((e) => e.type === 'fashn-error')).to.deep.equal([]);
  });

  it('unavailable: says so before consent, no camera, fashn-error out-of-credits at step config; axe-clean', async () => {
    const el = await mount({ 'garment-image': garment, 'proxy-url': '/shop-proxy/out-of-credits' });
    const seen = recordAll(el);
    // Intent (the pointer over the trigger) asks ahead; the click then knows.
    const trigger = el.shadowRoot!.querySelector<HTMLElement>('[part~="trigger"]')!;
    trigger.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
    await waitUntil(() => requestsTo('/shop-proxy/out-of-credits/credits') === 1, 'credits asked');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await press(el, 'Try it on');
    await waitForState(el, 'error');
    await settled(el);
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal(
      'Try-on is unavailable right now',
    );
    expect(control(el, 'Continue')).to.equal(undefined);
    expect(control(el, 'Retake')).to.equal(undefined);
    expect(
      seen.some((e) => e.type === 'fashn-state-change' && e.detail.state === 'consent'),
    ).to.equal(false);
    const errors = seen.filter((e) => e.type === 'fashn-error').map((e) => e.detail);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ code: 'out-of-credits', step: 'config', retriable: false });
    await expect(el).to.be.accessible();
    expect(spy.tracks).to.have.length(0);
    await press(el, 'Close');
    await waitForState(el, 'idle');
    await press(el, 'Try it on');
    await waitForState(el, 'error');
    expect(requestsTo('/shop-proxy/out-of-credits/credits')).to.equal(1);
  });

  it('no intent before the click: the consent step gives way to "unavailable" once the answer is in', async () => {
    const el = await mount({
      'garment-image': garment,
      'proxy-url': '/shop-proxy/out-of-credits/',
    });
    const seen = recordAll(el);
    await press(el, 'Try it on');
    await waitForState(el, 'error');
    expect(seen.filter((e) => e.type === 'fashn-error').map((e) => e.detail.code)).to.deep.equal([
      'out-of-credits',
    ]);
    expect(spy.tracks).to.have.length(0);
  });

  it('tryOn() from the page rejects with out-of-credits instead of waiting for a photo', async () => {
    const el = await mount({ 'garment-image': garment, 'proxy-url': '/shop-proxy/out-of-credits' });
    const error = await el.tryOn().then(
      () => undefined,
      (e: unknown) => e as { code?: string; step?: string },
    );
    expect(error).to.include({ code: 'out-of-credits', step: 'config' });
    expect(el.state).to.equal('error');
    expect(spy.tracks).to.have.length(0);
  });
});
