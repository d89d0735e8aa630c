import { expect } from '@open-wc/testing';
import { makeJpeg } from '../support/images.js';
import {
  addFault,
  cameraReady,
  garmentDataUrl,
  mount,
  press,
  resetEmulator,
  settled,
  unmountAll,
  waitForState,
} from './element-helpers.js';

let garment: string;

describe('<fashn-try-on> accessibility', () => {
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
  });
  afterEach(async () => {
    unmountAll();
    // The faults and the slow speed set here must not reach the next file's tests.
    await resetEmulator();
  });

  for (const layout of ['dialog', 'inline']) {
    it(`is axe-clean in every state (${layout})`, async () => {
      await resetEmulator(0.25); // slow enough to look at the waiting steps
      // photo-check off: the fake camera's frame is not a face; the review with findings is
      // axe-checked in element-photo-check.test.ts.
      const el = await mount({
        'garment-image': garment,
        layout,
        'privacy-url': '/privacy',
        'photo-check': 'off',
      });
      await settled(el);
      await expect(el).to.be.accessible();
      await press(el, 'Try it on');
      await waitForState(el, 'consent');
      await settled(el);
      await expect(el).to.be.accessible();
      await press(el, 'Continue');
      await waitForState(el, 'capture');
      await cameraReady(el);
      await settled(el);
      await expect(el).to.be.accessible();
      await press(el, 'Take photo');
      await waitForState(el, 'review');
      await settled(el);
      await expect(el).to.be.accessible();
      // What the live region says while the avatar is made, as it changes: the step is named
      // first, and FASHN's statuses ("Starting", "Working on it") soon replace it, sooner
      // than a loaded machine's axe check ends, so it is recorded rather than read after.
      const spoken: string[] = [];
      const listening = new MutationObserver(() => {
        const text = el.shadowRoot!.querySelector('[role="status"]')?.textContent?.trim();
        if (el.state === 'avatar' && text && spoken.at(-1) !== text) spoken.push(text);
      });
      listening.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
      await press(el, 'Use this photo');
      await waitForState(el, 'avatar');
      await settled(el);
      await expect(el).to.be.accessible();
      const live = el.shadowRoot!.querySelector('[role="status"]')!;
      expect(live.getAttribute('aria-live')).to.equal('polite');
      await waitForState(el, 'tryon');
      listening.disconnect();
      expect(
        spoken.some((text) => /avatar|photo/i.test(text)),
        `avatar step announced (heard: ${spoken.join(' | ')})`,
      ).to.equal(true);
      await settled(el);
      await expect(el).to.be.accessible();
      expect(el.shadowRoot!.querySelector('progress')).to.not.equal(null);
      await waitForState(el, 'result');
      await settled(el);
      await expect(el).to.be.accessible();
      expect(live.textContent).to.match(/ready/);

      await resetEmulator();
      await addFault({ kind: 'run', network: true, times: 20 });
      await el.useSelfie(await makeJpeg(300, 400)).catch(() => {});
      await waitForState(el, 'error');
      await settled(el);
      await expect(el).to.be.accessible();
      expect(el.shadowRoot!.querySelector('h2')!.textContent).to.match(/went wrong/);
    });
  }
});
