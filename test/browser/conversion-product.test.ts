import { expect } from '@open-wc/testing';
import { makeJpeg } from '../support/images.js';
import {
  garmentDataUrl,
  mount,
  resetEmulator,
  unmountAll,
  waitForState,
} from './element-helpers.js';
import { recordAll } from './conversion-helpers.js';

let garment: string;

describe('<fashn-try-on> product fields', () => {
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    await resetEmulator();
  });
  afterEach(() => unmountAll());

  it('carries product-id and product-url (absolute) in every event’s detail', async () => {
    const el = await mount({
      'garment-image': garment,
      'product-id': 'sku-42',
      'product-url': '/p/linen-shirt?colour=blue',
    });
    const seen = recordAll(el);
    await el.useSelfie(await makeJpeg(300, 400, { pattern: 'photo' }));
    await waitForState(el, 'result');
    const types = new Set(seen.map((e) => e.type));
    for (const type of [
      'fashn-state-change',
      'fashn-before-run',
      'fashn-progress',
      'fashn-avatar',
      'fashn-result',
    ])
      expect(types.has(type as never), type).to.equal(true);
    const url = new URL('/p/linen-shirt?colour=blue', document.baseURI).href;
    for (const { type, detail } of seen) {
      expect(detail.productId, type).to.equal('sku-42');
      expect(detail.productUrl, type).to.equal(url);
    }
  });

  it('refuses a product-url that is not http(s): reported, and never in a detail', async () => {
    const seen: CustomEvent[] = [];
    const el = await mount(
      { 'garment-image': garment, 'product-url': 'javascript:alert(1)' },
      (node) => node.addEventListener('fashn-error', (e) => seen.push(e)),
    );
    await el.updateComplete;
    expect(seen.map((e) => e.detail.attribute)).to.deep.equal(['product-url']);
    expect(seen[0].detail.productUrl).to.equal(undefined);
  });

  it('without product attributes the details are as before (no empty fields)', async () => {
    const el = await mount({ 'garment-image': garment });
    const seen = recordAll(el);
    await el.useSelfie(await makeJpeg(300, 400, { pattern: 'photo' }));
    for (const { detail } of seen)
      expect(Object.keys(detail)).to.not.include.members(['productId', 'productUrl']);
  });
});
