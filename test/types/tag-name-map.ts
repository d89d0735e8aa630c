/**
 * Type tests for what `fashn-try-on` declares globally: `HTMLElementTagNameMap`
 * and `HTMLElementEventMap`. Each `@ts-expect-error` line must fail to compile.
 */
import type { FashnTryOn } from '../../src/index.js';

const element = document.createElement('fashn-try-on');
const same: FashnTryOn = element;
const found = document.querySelector('fashn-try-on');
found?.start();

element.addEventListener('fashn-state-change', (event) => event.detail.previousState);
element.addEventListener('fashn-result', (event) => event.detail.durationMs.toFixed());
element.addEventListener('fashn-error', (event) => event.detail.retriable);
const result: Promise<{ images: string[] }> = element.tryOn();
// The funnel's events, each with its detail and the product fields.
element.addEventListener('fashn-share', (event) => event.detail.outcome === 'fell-back');
element.addEventListener('fashn-add-to-cart', (event) => event.detail.respondWith(undefined));
element.addEventListener('fashn-consent', (event) => event.detail.decision === 'granted');
element.addEventListener('fashn-open', (event) => event.detail.productUrl?.length);
element.answerCart({ error: 'Sold out' });
void element.grantConsent();
void element.revokeConsent();
const state: 'idle' | 'consent' | 'capture' | 'review' | 'avatar' | 'tryon' | 'result' | 'error' =
  element.state;

// @ts-expect-error -- the detail of a state change has no images
element.addEventListener('fashn-state-change', (event) => event.detail.images);
// @ts-expect-error -- states are named, not numbered
element.addEventListener('fashn-state-change', (event) => event.detail.state.toFixed());
// @ts-expect-error -- `state` is read-only
element.state = 'result';
// @ts-expect-error -- a share outcome is one of three words
element.addEventListener('fashn-share', (event) => event.detail.outcome === 'done');
// @ts-expect-error -- the page's cart error is text
element.answerCart({ error: 42 });
// @ts-expect-error -- not a state
const wrong: typeof state = 'done';

export { same, result, state, wrong };

// The events are typed where they bubble to, too (GlobalEventHandlersEventMap).
document.addEventListener('fashn-result', (event) => event.detail.images.length);
window.addEventListener('fashn-error', (event) => event.detail.code);
// @ts-expect-error -- a result has no state, on the document either
document.addEventListener('fashn-result', (event) => event.detail.state);
