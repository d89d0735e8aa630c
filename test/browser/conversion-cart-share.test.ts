import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
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
import { recordAll } from './conversion-helpers.js';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';
import type { FashnAddToCartDetail } from '../../src/conversion/cart.js';

let garment: string;

/** An element at `result` (over the emulator), with `attributes` on top of the garment. */
async function atResult(attributes: Record<string, string> = {}, setup?: (el: FashnTryOn) => void) {
  const el = await mount({ 'garment-image': garment, ...attributes }, setup);
  await el.useSelfie(await makeJpeg(300, 400, { pattern: 'photo' }));
  await waitForState(el, 'result');
  await settled(el);
  return el;
}

/**
 * Keeps the browser's own save out of a test: clicks on the temporary `<a download>`
 * (inside the element's shadow root) are recorded and prevented. A real download opened
 * Firefox's Downloads panel, which took the window's focus for the rest of the run: in later
 * test files keys still reached the focused button, but Enter no longer clicked it.
 */
function holdDownloads(el: FashnTryOn): { clicked: HTMLAnchorElement[]; release(): void } {
  const clicked: HTMLAnchorElement[] = [];
  const onClick = (e: Event) => {
    const a = e.target;
    if (a instanceof HTMLAnchorElement && a.download) {
      clicked.push(a);
      e.preventDefault();
    }
  };
  el.shadowRoot!.addEventListener('click', onClick, true);
  return { clicked, release: () => el.shadowRoot!.removeEventListener('click', onClick, true) };
}

const errorText = (el: FashnTryOn) =>
  el.shadowRoot!.querySelector('[part~="error"]')?.textContent?.trim();
const status = (el: FashnTryOn) =>
  el.shadowRoot!.querySelector('[role="status"]')!.textContent.trim();

describe('<fashn-try-on> add to cart', () => {
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    await resetEmulator();
  });
  afterEach(() => unmountAll());

  it('no "Add to cart" without the cart attribute', async () => {
    const el = await atResult();
    expect(control(el, 'Add to cart')).to.equal(undefined);
    expect(control(el, 'Share')).to.not.equal(undefined);
  });

  it('asks the page with a cancelable event; a fulfilled respondWith shows "Added" (axe-clean)', async () => {
    const seen: CustomEvent<FashnAddToCartDetail>[] = [];
    const el = await atResult({ cart: 'true', 'product-id': 'sku-9' }, (node) =>
      node.addEventListener('fashn-add-to-cart', (event) => {
        seen.push(event);
        event.detail.respondWith(new Promise((resolve) => setTimeout(resolve, 100)));
      }),
    );
    await press(el, 'Add to cart');
    // The cart's code may still be on its way (it loads during the try-on): the event follows it.
    await waitUntil(() => seen.length > 0, 'fashn-add-to-cart');
    expect(seen).to.have.length(1);
    const [event] = seen;
    expect(event.cancelable).to.equal(true);
    expect(event.detail.productId).to.equal('sku-9');
    expect(event.detail.garmentImage).to.equal(garment);
    expect(event.detail.resultImage).to.equal(el.results[0]);
    expect((control(el, 'Adding…') as HTMLButtonElement).disabled).to.equal(true);
    await expect(el).to.be.accessible();
    await waitForStatus(el, 'Added');
    expect((control(el, 'Added') as HTMLButtonElement).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('shows the page’s error from a rejected respondWith, and lets the shopper try again', async () => {
    let answer: Promise<void> = Promise.reject(new Error('Size M is sold out'));
    answer.catch(() => {});
    const el = await atResult({ cart: 'true' }, (node) =>
      node.addEventListener('fashn-add-to-cart', (event) => event.detail.respondWith(answer)),
    );
    await press(el, 'Add to cart');
    await waitForStatus(el, 'Size M is sold out');
    expect(errorText(el)).to.equal('Size M is sold out');
    await expect(el).to.be.accessible();
    answer = Promise.resolve();
    await press(el, 'Add to cart');
    await waitForStatus(el, 'Added');
    expect(errorText(el)).to.equal(undefined);
  });

  it('preventDefault, then answerCart(): the error, or "Added"', async () => {
    const el = await atResult({ cart: 'true' }, (node) =>
      node.addEventListener('fashn-add-to-cart', (event) => event.preventDefault()),
    );
    await press(el, 'Add to cart');
    expect(control(el, 'Adding…')).to.not.equal(undefined);
    el.answerCart({ error: 'Choose a size first' });
    await waitForStatus(el, 'Choose a size first');
    await press(el, 'Add to cart');
    el.answerCart();
    await waitForStatus(el, 'Added');
  });

  it('nobody answers: the shopper is told it was not added, never "Added"', async () => {
    const el = await atResult({ cart: 'true' });
    await press(el, 'Add to cart');
    await waitForStatus(el, 'This item couldn’t be added to your cart. Please try again.');
    expect(control(el, 'Added')).to.equal(undefined);
  });

  it('a slotted control replaces the button and asks the page the same way, by keyboard', async () => {
    const seen: FashnAddToCartDetail[] = [];
    const el = await atResult({ cart: 'true' }, (node) => {
      const mine = document.createElement('button');
      mine.slot = 'cart';
      mine.textContent = 'Buy this look';
      node.append(mine);
      node.addEventListener('fashn-add-to-cart', (event) => {
        seen.push(event.detail);
        event.detail.respondWith(undefined);
      });
    });
    // The default button stays as the slot's fallback, not rendered.
    const fallback = el.shadowRoot!.querySelector('[part~="add-to-cart"]')!;
    expect(fallback.getBoundingClientRect().width).to.equal(0);
    const mine = el.querySelector<HTMLButtonElement>('[slot="cart"]')!;
    expect(mine.assignedSlot?.name).to.equal('cart');
    // Tab from the page's control goes on to the result's next control, not back to Close.
    mine.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('button try-another');
    mine.focus();
    await sendKeys({ press: 'Enter' });
    expect(seen).to.have.length(1);
    await waitForStatus(el, 'Added');
  });

  it("Tab goes on past a shop's own cart control of any kind (an element with a tabindex)", async () => {
    const el = await atResult({ cart: 'true' }, (node) => {
      const mine = document.createElement('div');
      mine.slot = 'cart';
      mine.tabIndex = 0;
      mine.setAttribute('role', 'button');
      mine.textContent = 'Buy this look';
      node.append(mine);
    });
    el.querySelector<HTMLElement>('[slot="cart"]')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('button try-another');
  });

  it('keyboard only: Tab reaches Add to cart and Share, Enter and Space use them', async () => {
    let asked = 0;
    const el = await atResult({ cart: 'true' }, (node) =>
      node.addEventListener('fashn-add-to-cart', (event) => {
        asked++;
        event.detail.respondWith(undefined);
      }),
    );
    const seen = recordAll(el);
    const focused = () => el.shadowRoot!.activeElement?.textContent?.trim();
    const reach = async (name: string) => {
      for (let i = 0; i < 20 && focused() !== name; i++) await sendKeys({ press: 'Tab' });
      expect(focused()).to.equal(name);
    };
    await reach('Add to cart');
    await sendKeys({ press: 'Enter' });
    await waitForStatus(el, 'Added');
    expect(asked).to.equal(1);
    await reach('Share');
    // Without a share sheet (Linux) the look is downloaded: held, as in the share tests.
    const downloads = holdDownloads(el);
    try {
      // ' ' rather than 'Space': WebDriver (Firefox, WebKit) knows no key of that name.
      await sendKeys({ press: ' ' });
      await waitUntilSeen(seen, 'fashn-share');
    } finally {
      downloads.release();
    }
  });

  it('a new result starts over', async () => {
    const el = await atResult({ cart: 'true' }, (node) =>
      node.addEventListener('fashn-add-to-cart', (event) => event.detail.respondWith(undefined)),
    );
    await press(el, 'Add to cart');
    await waitForStatus(el, 'Added');
    await press(el, 'Try another look');
    await waitForState(el, 'result');
    expect(control(el, 'Add to cart')).to.not.equal(undefined);
  });
});

describe('<fashn-try-on> share', () => {
  const original = { share: navigator.share, canShare: navigator.canShare };
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    await resetEmulator();
  });
  afterEach(() => {
    unmountAll();
    Object.assign(navigator, original);
  });

  it('in this browser (no OS share sheet on Linux): the look is downloaded, reported as fell-back', async () => {
    const el = await atResult({ 'product-id': 'sku-3' });
    const seen = recordAll(el);
    const { clicked, release } = holdDownloads(el);
    try {
      await press(el, 'Share');
      await waitUntilSeen(seen, 'fashn-share');
    } finally {
      release();
    }
    const detail = seen.find((e) => e.type === 'fashn-share')!.detail;
    if (typeof navigator.share === 'function') {
      expect(detail.outcome).to.be.oneOf(['shared', 'canceled', 'fell-back']);
    } else {
      expect(detail).to.deep.include({ outcome: 'fell-back', via: 'download', productId: 'sku-3' });
      expect(clicked.map((a) => [a.href, a.download])).to.deep.equal([
        [el.results[0], 'try-on.jpg'],
      ]);
    }
  });

  it('with Web Share Level 2: the result image as a file, with the page title and product URL', async () => {
    const shared: ShareData[] = [];
    Object.assign(navigator, {
      canShare: (data: ShareData) => !!data.files?.every((f) => f.type.startsWith('image/')),
      share: async (data: ShareData) => void shared.push(data),
    });
    document.title = 'Linen shirt';
    const el = await atResult({ 'product-url': 'https://shop.example/p/linen' });
    const seen = recordAll(el);
    await press(el, 'Share');
    await waitUntilSeen(seen, 'fashn-share');
    expect(seen.find((e) => e.type === 'fashn-share')!.detail).to.deep.include({
      outcome: 'shared',
      via: 'file',
    });
    const [data] = shared;
    expect(data.title).to.equal('Linen shirt');
    expect(data.text).to.equal('How does this look on me?');
    const file = data.files![0];
    expect(file.name).to.equal('try-on.jpg');
    const original = await (await fetch(el.results[0])).blob();
    expect(file.size).to.equal(original.size);
  });
});

async function waitForStatus(el: FashnTryOn, text: string) {
  await waitUntil(() => status(el) === text, `status "${text}" (now "${status(el)}")`, {
    timeout: 5000,
  });
  await el.updateComplete;
}

async function waitUntilSeen(seen: { type: string }[], type: string) {
  await waitUntil(() => seen.some((e) => e.type === type), `${type} fired`, { timeout: 5000 });
}
