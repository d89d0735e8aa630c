import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { ar } from '../../src/i18n/ar.js';
import { en } from '../../src/i18n/en.js';
import { makeJpeg } from '../support/images.js';
import {
  control,
  garmentDataUrl,
  mount,
  press,
  resetEmulator,
  settled,
  unmountAll,
  waitForState,
} from './element-helpers.js';

// Right to left (the Arabic pack under dir="rtl", inherited or set on the
// element) and the 44 px rule on a phone, measured from the laid-out controls.

let garment: string;

const rect = (node: Element | null | undefined) => node!.getBoundingClientRect();

/** WebKitGTK under WebDriver: the runner cannot set the phone's viewport there, and that size is what is measured. */
const WEBKIT =
  /AppleWebKit/.test(navigator.userAgent) && !/Chrome|Firefox/.test(navigator.userAgent);
const suite = WEBKIT ? (describe as unknown as { skip: typeof describe }).skip : describe;

suite(
  `<fashn-try-on> right to left and touch targets${WEBKIT ? ' (skipped in WebKit: WebDriver cannot set a viewport)' : ''}`,
  () => {
    beforeEach(async () => {
      garment ??= await garmentDataUrl();
      await resetEmulator();
      await setViewport({ width: 375, height: 740 });
    });
    afterEach(async () => {
      unmountAll();
      await setViewport({ width: 800, height: 600 });
    });

    it('inherits dir="rtl" and lang="ar": Arabic, mirrored, axe-clean, every control ≥ 44 px', async () => {
      const el = await mount({ 'garment-image': garment });
      el.parentElement!.setAttribute('dir', 'rtl');
      el.parentElement!.setAttribute('lang', 'ar');
      await el.updateComplete;
      await press(el, ar.tryOn);
      await waitForState(el, 'consent');
      await settled(el);
      await expect(el).to.be.accessible();
      const panel = rect(el.shadowRoot!.querySelector('.panel'));
      const close = control(el, ar.close)!;
      expect(getComputedStyle(close).direction).to.equal('rtl');
      // The close button sits at the inline end, which is the left under rtl.
      expect(rect(close).left - panel.left).to.be.below(20);
      expect(rect(close).width).to.be.at.least(44);
      expect(rect(close).height).to.be.at.least(44);
      const title = el.shadowRoot!.querySelector('h2')!;
      expect(title.textContent).to.equal(ar.consentTitle);
      expect(rect(title).right).to.be.closeTo(
        rect(el.shadowRoot!.querySelector('.panel p')).right,
        1,
      );

      const result = el.useSelfie(await makeJpeg(300, 400, { pattern: 'photo' }));
      await waitForState(el, 'tryon');
      const progress = el.shadowRoot!.querySelector('progress')!;
      expect(getComputedStyle(progress).direction).to.equal('rtl');
      await settled(el);
      await expect(el).to.be.accessible();
      await result;
      await waitForState(el, 'result');
      await settled(el);
      await expect(el).to.be.accessible();
      // Before then after, read from the right.
      const before = control(el, ar.before)!;
      const after = control(el, ar.after)!;
      expect(rect(before).left).to.be.above(rect(after).left);
      for (const node of el.shadowRoot!.querySelectorAll<HTMLElement>('.btn')) {
        const box = rect(node);
        if (box.width === 0) continue; // not shown
        expect(box.height, node.textContent.trim()).to.be.at.least(44);
        expect(box.width, node.textContent.trim()).to.be.at.least(44);
      }
    });

    it('dir="rtl" on the element itself mirrors it too; ltr stays as it was', async () => {
      const rtl = await mount({ 'garment-image': garment, dir: 'rtl', layout: 'inline' });
      const ltr = await mount({ 'garment-image': garment, layout: 'inline' });
      for (const el of [rtl, ltr]) {
        await press(el, en.tryOn);
        await waitForState(el, 'consent');
      }
      const closeOf = (el: HTMLElement) => {
        const panel = rect(el.shadowRoot!.querySelector('.panel'));
        const close = rect(el.shadowRoot!.querySelector('[part~="close"]'));
        return { fromLeft: close.left - panel.left, fromRight: panel.right - close.right };
      };
      expect(closeOf(rtl).fromLeft).to.be.below(20);
      expect(closeOf(ltr).fromRight).to.be.below(20);
      await settled(rtl);
      await expect(rtl).to.be.accessible();
    });
  },
);
