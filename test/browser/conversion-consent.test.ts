import { expect, waitUntil } from '@open-wc/testing';
import { makeJpeg } from '../support/images.js';
import { TcfStub, type TcData } from '../support/tcf-stub.js';
import {
  TrackSpy,
  cameraReady,
  control,
  garmentDataUrl,
  mount,
  press,
  resetEmulator,
  settled,
  unmountAll,
  waitForState,
} from './element-helpers.js';
import { funnel, recordAll } from './conversion-helpers.js';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';

// consent="external" with a page that has a TCF-style consent manager: the
// page's glue (the README recipe) grants and revokes; the element asks nothing.

let garment: string;

/** The README's glue: TCF purpose 1 granted → grantConsent(), withdrawn → revokeConsent(). */
function connect(el: FashnTryOn): void {
  const tcfapi = (
    window as unknown as {
      __tcfapi: (c: string, v: number, cb: (d: TcData, ok: boolean) => void) => void;
    }
  ).__tcfapi;
  tcfapi('addEventListener', 2, (tcData, success) => {
    if (!success || tcData.eventStatus === 'cmpuishown') return;
    if (tcData.purpose.consents[1]) el.grantConsent();
    else if (tcData.eventStatus === 'useractioncomplete') void el.revokeConsent();
  });
}

describe('<fashn-try-on consent="external">', () => {
  let cmp: TcfStub;
  let spy: TrackSpy;
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    await resetEmulator();
    cmp = new TcfStub().install();
    spy = new TrackSpy().install();
  });
  afterEach(() => {
    unmountAll();
    cmp.uninstall();
    spy.restore();
  });

  it('asks nothing itself and starts no camera until the page grants; axe-clean while waiting', async () => {
    const el = await mount({ 'garment-image': garment, consent: 'external' });
    const seen = recordAll(el);
    connect(el);
    await press(el, 'Try it on');
    await waitForState(el, 'consent');
    await settled(el);
    expect(control(el, 'Continue')).to.equal(undefined);
    expect(el.shadowRoot!.textContent).to.contain(
      'Accept the shop’s privacy settings to try this on.',
    );
    await expect(el).to.be.accessible();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(spy.tracks).to.have.length(0);
    expect(el.state).to.equal('consent');

    cmp.accept();
    await waitForState(el, 'capture');
    await waitUntil(() => spy.tracks.length > 0, 'camera started once granted');
    await cameraReady(el);
    expect(funnel(seen)).to.deep.equal(['fashn-open:trigger', 'fashn-consent:granted']);
    expect(seen.find((e) => e.type === 'fashn-consent')!.detail.via).to.equal('external');
  });

  it('consent given before the shopper asks: straight to capture', async () => {
    const el = await mount({ 'garment-image': garment, consent: 'external' });
    connect(el);
    cmp.accept();
    await press(el, 'Try it on');
    await waitForState(el, 'capture');
  });

  it('revoking forgets everything kept, as "Delete my photo", and consent is needed again', async () => {
    const el = await mount({ 'garment-image': garment, consent: 'external' });
    const seen = recordAll(el);
    connect(el);
    cmp.accept();
    await el.useSelfie(await makeJpeg(300, 400, { pattern: 'photo' }));
    await waitForState(el, 'result');
    expect(el.avatar).to.be.a('string');
    cmp.withdraw();
    await waitForState(el, 'idle');
    expect(el.avatar).to.equal(undefined);
    expect(el.results).to.deep.equal([]);
    expect(funnel(seen).at(-1)).to.equal('fashn-consent:declined');
    await press(el, 'Try it on');
    await waitForState(el, 'consent');
    expect(control(el, 'Continue')).to.equal(undefined);
    expect(spy.allEnded() || spy.tracks.length === 0).to.equal(true);
  });

  it('closing the waiting step is not a decision of the shopper: no fashn-consent', async () => {
    const el = await mount({ 'garment-image': garment, consent: 'external' });
    const seen = recordAll(el);
    await press(el, 'Try it on');
    await waitForState(el, 'consent');
    await press(el, 'Close');
    await waitForState(el, 'idle');
    expect(funnel(seen)).to.deep.equal(['fashn-open:trigger']);
  });
});
