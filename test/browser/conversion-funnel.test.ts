import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { makeJpeg } from '../support/images.js';
import {
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

let garment: string;

/** Picks `file` through the upload control's real `<input type=file>`. */
async function upload(el: FashnTryOn, file: File): Promise<void> {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

describe('<fashn-try-on> funnel events', () => {
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    await resetEmulator();
  });
  afterEach(() => unmountAll());

  it('open, consent, capture (camera), result, download: in order, with the product', async () => {
    // photo-check off: a fake camera's frame is no face, and Firefox's reads washed out
    // (element-photo-check.test.ts tests the check).
    const el = await mount({
      'garment-image': garment,
      'product-id': 'sku-7',
      'photo-check': 'off',
    });
    const seen = recordAll(el);
    await press(el, 'Try it on');
    await waitForState(el, 'consent');
    await press(el, 'Continue');
    await cameraReady(el);
    await press(el, 'Take photo');
    await waitForState(el, 'review');
    await press(el, 'Use this photo');
    await waitForState(el, 'result');
    const download = control(el, 'Download')!;
    // The download itself is the browser's; the test only needs the event.
    download.addEventListener('click', (e) => e.preventDefault(), { once: true });
    download.click();
    expect(funnel(seen)).to.deep.equal([
      'fashn-open:trigger',
      'fashn-consent:granted',
      'fashn-capture:camera',
      'fashn-download',
    ]);
    const downloaded = seen.find((e) => e.type === 'fashn-download')!.detail;
    expect(downloaded.image).to.equal(el.results[0]);
    expect(downloaded.productId).to.equal('sku-7');
    expect(seen.find((e) => e.type === 'fashn-consent')!.detail.via).to.equal('element');
  });

  it('an upload is a capture from "upload"; open() reports the method; one open per opening', async () => {
    const el = await mount({ 'garment-image': garment, layout: 'inline' });
    const seen = recordAll(el);
    el.open();
    el.open();
    await waitForState(el, 'consent');
    await press(el, 'Continue');
    await waitForState(el, 'capture');
    await upload(el, new File([await makeJpeg(300, 400)], 'me.jpg', { type: 'image/jpeg' }));
    await waitForState(el, 'review');
    expect(funnel(seen)).to.deep.equal([
      'fashn-open:method',
      'fashn-consent:granted',
      'fashn-capture:upload',
    ]);
  });

  it('closing the consent step (Escape) is a decline; Delete my photo withdraws consent', async () => {
    // photo-check off: the drawn 300×400 photo is "too small" for it (element-photo-check.test.ts tests the check).
    const el = await mount({ 'garment-image': garment, 'photo-check': 'off' });
    const seen = recordAll(el);
    await press(el, 'Try it on');
    await waitForState(el, 'consent');
    await settled(el);
    await sendKeys({ press: 'Escape' });
    await waitForState(el, 'idle');
    expect(funnel(seen)).to.deep.equal(['fashn-open:trigger', 'fashn-consent:declined']);

    seen.length = 0;
    await press(el, 'Try it on');
    await press(el, 'Continue');
    await waitForState(el, 'capture');
    await upload(el, new File([await makeJpeg(300, 400)], 'me.jpg', { type: 'image/jpeg' }));
    await press(el, 'Use this photo');
    await waitForState(el, 'result');
    await press(el, 'Delete my photo');
    await waitForState(el, 'idle');
    expect(funnel(seen)).to.deep.equal([
      'fashn-open:trigger',
      'fashn-consent:granted',
      'fashn-capture:upload',
      'fashn-consent:declined',
    ]);
  });
});
