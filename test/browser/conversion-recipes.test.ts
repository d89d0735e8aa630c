import { expect, waitUntil } from '@open-wc/testing';
import { makeJpeg } from '../support/images.js';
import {
  garmentDataUrl,
  mount,
  press,
  resetEmulator,
  unmountAll,
  waitForState,
} from './element-helpers.js';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';

// The README's analytics recipes, read from the README itself and run as a
// shop's page would: after the official bootstraps of gtag (the dataLayer
// queue gtag.js drains) and Segment's analytics.js snippet (its method queue).

async function recipe(name: string): Promise<string> {
  const readme = await (await fetch('/README.md')).text();
  const match = new RegExp(`<!-- recipe:${name} -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README has no recipe:${name}`);
  return match[1];
}

type Page = Window & {
  dataLayer?: unknown[];
  gtag?: unknown;
  analytics?: unknown[] & { track?: unknown };
};

/** Google's gtag bootstrap, as shops paste it (without loading gtag.js from the network). */
function installGtag(page: Page) {
  page.dataLayer = page.dataLayer || [];
  page.gtag = function gtag() {
    // eslint-disable-next-line prefer-rest-params
    page.dataLayer!.push(arguments);
  };
}

/** Segment's snippet: analytics.js methods queue their calls until the library loads. */
function installSegment(page: Page) {
  const analytics = [] as unknown as unknown[] & { track: (...args: unknown[]) => void };
  analytics.track = (...args: unknown[]) => void analytics.push(['track', ...args]);
  page.analytics = analytics;
}

async function shopperFlow(el: FashnTryOn) {
  el.addEventListener('fashn-add-to-cart', (event) => event.detail.respondWith(undefined));
  await press(el, 'Try it on');
  await press(el, 'Continue');
  await waitForState(el, 'capture');
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
  const transfer = new DataTransfer();
  transfer.items.add(new File([await makeJpeg(300, 400)], 'me.jpg', { type: 'image/jpeg' }));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change'));
  await press(el, 'Use this photo');
  await waitForState(el, 'result');
  await press(el, 'Add to cart');
  await waitUntil(() => el.shadowRoot!.textContent.includes('Added'), 'added');
}

describe('README analytics recipes', () => {
  const page = window as Page;
  let garment: string;
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    await resetEmulator();
  });
  afterEach(() => {
    unmountAll();
    delete page.dataLayer;
    delete page.gtag;
    delete page.analytics;
  });

  it('GA4 gtag: one event per funnel step, with the product', async () => {
    installGtag(page);
    // photo-check off: the drawn 300×400 photo is "too small" for it (element-photo-check.test.ts tests the check).
    const el = await mount({
      'garment-image': garment,
      cart: 'true',
      'product-id': 'sku-1',
      'photo-check': 'off',
    });
    // The README's recipe runs as a page would run it, as a script of its own.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function(await recipe('ga4'))();
    await shopperFlow(el);
    const events = page.dataLayer!.map((args) => [...(args as unknown[])]);
    expect(events.map((e) => `${String(e[0])}:${String(e[1])}`)).to.deep.equal([
      'event:try_on_open',
      'event:try_on_consent',
      'event:try_on_capture',
      'event:try_on_result',
      'event:add_to_cart',
    ]);
    expect(events[0][2]).to.deep.include({ item_id: 'sku-1', source: 'trigger' });
    expect(events[4][2]).to.deep.equal({ items: [{ item_id: 'sku-1' }], source: 'try_on' });
  });

  it('Segment analytics.track: one call per funnel step, with the product', async () => {
    installSegment(page);
    // photo-check off: the drawn 300×400 photo is "too small" for it (element-photo-check.test.ts tests the check).
    const el = await mount({
      'garment-image': garment,
      cart: 'true',
      'product-id': 'sku-2',
      'photo-check': 'off',
    });
    // The README's recipe runs as a page would run it, as a script of its own.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function(await recipe('segment'))();
    await shopperFlow(el);
    const calls = page.analytics! as unknown[][];
    expect(calls.map((c) => c[1])).to.deep.equal([
      'Try-On Opened',
      'Try-On Consent',
      'Try-On Photo Captured',
      'Try-On Result Shown',
      'Try-On Add To Cart',
    ]);
    expect(calls[1][2]).to.deep.include({ product_id: 'sku-2', decision: 'granted' });
    expect(calls[2][2]).to.deep.include({ source: 'upload' });
  });
});
