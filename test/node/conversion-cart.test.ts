import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CartRequest, pageMessage, type FashnAddToCartDetail } from '../../src/conversion/cart.js';

// The add-to-cart answer rules, with a real EventTarget as the page and a
// manual clock for the page that never answers.

const item = {
  productId: 'sku-1',
  garmentImage: 'https://shop.example/g.jpg',
  resultImage: 'data:image/jpeg;base64,AA',
};

function page(listener?: (event: CustomEvent<FashnAddToCartDetail>) => void) {
  const target = new EventTarget();
  if (listener)
    target.addEventListener('fashn-add-to-cart', (e) =>
      listener(e as CustomEvent<FashnAddToCartDetail>),
    );
  return (detail: FashnAddToCartDetail) =>
    target.dispatchEvent(new CustomEvent('fashn-add-to-cart', { detail, cancelable: true }));
}

function clock() {
  const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
  return {
    timers,
    setTimeout: (run: () => void, ms: number) => {
      const timer = { run, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (timer: unknown) => void ((timer as { cleared: boolean }).cleared = true),
  };
}

describe('add to cart', () => {
  it('carries the product, garment and result in a cancelable event', async () => {
    let seen: FashnAddToCartDetail | undefined;
    const request = new CartRequest(
      item,
      page((e) => {
        seen = e.detail;
        assert.equal(e.cancelable, true);
        e.detail.respondWith(Promise.resolve());
      }),
    );
    assert.deepEqual(await request.outcome, { status: 'added' });
    assert.equal(seen!.productId, 'sku-1');
    assert.equal(seen!.garmentImage, item.garmentImage);
    assert.equal(seen!.resultImage, item.resultImage);
  });

  it('respondWith: a rejection shows the page’s message, an { error } too', async () => {
    const rejected = new CartRequest(
      item,
      page((e) => e.detail.respondWith(Promise.reject(new Error('Size M is sold out')))),
    );
    assert.deepEqual(await rejected.outcome, {
      status: 'failed',
      reason: 'page-error',
      message: 'Size M is sold out',
    });
    const answered = new CartRequest(
      item,
      page((e) => e.detail.respondWith({ error: 'Choose a size first' })),
    );
    assert.deepEqual(await answered.outcome, {
      status: 'failed',
      reason: 'page-error',
      message: 'Choose a size first',
    });
    const silent = new CartRequest(
      item,
      page((e) => e.detail.respondWith(Promise.reject(42))),
    );
    assert.deepEqual(await silent.outcome, { status: 'failed', reason: 'page-error' });
  });

  it('preventDefault, then the element’s method answers', async () => {
    const c = clock();
    const request = new CartRequest(
      item,
      page((e) => e.preventDefault()),
      c,
    );
    assert.equal(request.waiting, true);
    request.answer(undefined);
    assert.deepEqual(await request.outcome, { status: 'added' });
    assert.equal(request.waiting, false);
    request.answer({ error: 'late' });
    assert.deepEqual(await request.outcome, { status: 'added' });
    await Promise.resolve();
    assert.equal(c.timers[0].cleared, true);
  });

  it('preventDefault and no answer: fails after the timeout', async () => {
    const c = clock();
    const request = new CartRequest(
      item,
      page((e) => e.preventDefault()),
      { ...c, timeoutMs: 5000 },
    );
    assert.equal(c.timers[0].ms, 5000);
    c.timers[0].run();
    assert.deepEqual(await request.outcome, { status: 'failed', reason: 'no-answer' });
  });

  it('nobody handles it: failed, never a made-up "Added"', async () => {
    assert.deepEqual(await new CartRequest(item, page()).outcome, {
      status: 'failed',
      reason: 'unhandled',
    });
    const listenerOnly = new CartRequest(
      item,
      page(() => {}),
    );
    assert.deepEqual(await listenerOnly.outcome, { status: 'failed', reason: 'unhandled' });
  });

  it('only the first respondWith counts', async () => {
    const request = new CartRequest(
      item,
      page((e) => {
        e.detail.respondWith(Promise.resolve());
        e.detail.respondWith(Promise.reject(new Error('second')));
      }),
    );
    assert.deepEqual(await request.outcome, { status: 'added' });
  });

  it('a page message is plain, short text', () => {
    assert.equal(pageMessage('  Sold\n\tout  '), 'Sold out');
    assert.equal(pageMessage(''), undefined);
    assert.equal(pageMessage({}), undefined);
    assert.equal(pageMessage({ error: 'x' }), 'x');
    const long = pageMessage('word '.repeat(100))!;
    assert.ok(long.length <= 200 && long.endsWith('…'), long);
    assert.equal(
      pageMessage('<b>bold</b>'),
      '<b>bold</b>',
      'kept as text; the view never renders it as markup',
    );
  });
});
