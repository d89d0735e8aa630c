/**
 * The "unavailable" case against the test server's reference proxy and its own
 * `GET /api/fashn/credits`: the emulator answers a run `429 OutOfCredits`, the
 * proxy learns it (as it would from FASHN), and the element asks before consent.
 * Resetting the emulator makes the test server forget it again.
 */
import { expect } from '@open-wc/testing';
import {
  TrackSpy,
  addFault,
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

/** Makes the test server's reference proxy answer `/credits` with `{ "available": false }`. */
async function makeReferenceProxyUnavailable(garment: string): Promise<void> {
  await addFault({
    kind: 'run',
    status: 429,
    body: { error: 'OutOfCredits', message: 'No credits' },
    times: 1,
  });
  const run = await fetch('/api/fashn/run', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model_name: 'tryon-v1.6',
      inputs: { model_image: garment, garment_image: garment },
    }),
  });
  expect(run.status).to.equal(429);
  const credits = await fetch('/api/fashn/credits');
  expect(await credits.json()).to.deep.equal({ available: false });
}

describe('<fashn-try-on> with the reference proxy out of credits', () => {
  let spy: TrackSpy;
  let garment: string;
  beforeEach(async () => {
    garment = await garmentDataUrl();
    await resetEmulator();
    await makeReferenceProxyUnavailable(garment);
    spy = new TrackSpy().install();
  });
  afterEach(async () => {
    unmountAll();
    spy.restore();
    await resetEmulator();
  });

  it('says "Try-on is unavailable right now" before consent, starts no camera, reports out-of-credits', async () => {
    const el = await mount({ 'garment-image': garment });
    const seen = recordAll(el);
    await press(el, 'Try it on');
    await waitForState(el, 'error');
    await settled(el);
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal(
      'Try-on is unavailable right now',
    );
    expect(control(el, 'Continue')).to.equal(undefined);
    const errors = seen.filter((e) => e.type === 'fashn-error').map((e) => e.detail);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ code: 'out-of-credits', step: 'config' });
    expect(spy.tracks).to.have.length(0);
    await expect(el).to.be.accessible();
  });
});
