/**
 * What each attribute and event means, for the custom-elements manifest and
 * the README's tables. Keyed by the declarations in `attributes.ts` and
 * `events.ts` (the types make both complete); kept out of the code pages load.
 * Every event's detail also carries `productId` and `productUrl` when set.
 */
import type { AttributeProperty } from './attributes.js';
import type { FashnEventName } from './events.js';

export const ATTRIBUTE_DOCS: Record<AttributeProperty, string> = {
  garmentImage:
    "http(s) or `data:image/...` URL of the garment (required for a try-on); a relative URL is resolved against the page's base URL.",
  proxyUrl: 'Base URL of the proxy, default `/api/fashn`.',
  category: '`auto` `tops` `bottoms` `one-pieces`.',
  mode: '`performance` `balanced` `quality`.',
  garmentPhotoType: '`auto` `flat-lay` `model`.',
  numSamples: '1 to 4.',
  seed: '0 to 2^32-1, default 42.',
  outputFormat: '`png` `jpeg`.',
  moderationLevel: '`conservative` `permissive` `none`.',
  segmentationFree: '`"true"` / `"false"`, default true.',
  returnBase64: 'Ask FASHN for base64 outputs (nothing stored on its CDN), default true.',
  avatarPrompt: 'Body-shape guidance for `face-to-model`.',
  avatarAspectRatio: '`1:1` `4:5` `3:4` `2:3` `9:16`.',
  layout: '`dialog` (default) or `inline`.',
  capture: 'Capture paths offered: `camera upload` (default), `camera`, `upload`.',
  remember: 'Keep the avatar in this browser, default true.',
  cacheDays: 'Days a kept avatar lives, default 30.',
  privacyUrl: 'Link shown on the consent step.',
  photoCheck:
    'Check the photo on the device at review: `advise` (default: findings shown, "Use anyway" offered), `require` (findings shown, only "Retake"), `off`.',
  productId: 'The shop’s product id, in every event’s detail.',
  productUrl: 'The product page’s http(s) URL, in every event’s detail and shared.',
  cart: '`"true"`: an Add to cart action on the result, default false.',
  consent: '`element` (default: its own step) or `external` (the page calls `grantConsent()`).',
};

export const EVENT_DOCS: Record<FashnEventName, string> = {
  'fashn-state-change': '`{ state, previousState }` on every move of the flow',
  'fashn-before-run': 'cancelable, `{ model, inputs }` before each FASHN call',
  'fashn-progress': '`{ step, status, predictionId?, elapsedMs, estimatedMs }` while waiting',
  'fashn-avatar': '`{ image, cached, createdAt }` when an avatar is made or found kept',
  'fashn-result': '`{ images, garmentImage, predictionId, avatarCached, cached, durationMs }`',
  'fashn-error':
    "`{ code, message, step, retriable, fashnName?, predictionId?, httpStatus?, attribute?, developerMessage? }`: `message` is the shopper's (localized), `developerMessage` what to fix (English, also in the console)",
  'fashn-photo-check':
    '`{ mode, findings, measures, faces }` once the photo at review is checked (not with `photo-check="off"`); `findings` are codes from `too-dark` `washed-out` `blurred` `too-small` `no-face` `several-faces` `face-too-small` `face-cut-off` (empty when nothing is wrong); `faces` is `null` where the browser has no face detector',
  'fashn-open': '`{ source }` (`trigger` or `method`) once per opening',
  'fashn-consent': '`{ decision, via }`: `granted`/`declined` by the element’s step or the page',
  'fashn-capture': '`{ source }`: `camera` or `upload` (picked or dropped)',
  'fashn-download': '`{ image }` when the shopper presses Download',
  'fashn-share': '`{ outcome, via }`: `shared`, `canceled` or `fell-back`',
  'fashn-add-to-cart':
    'cancelable, `{ productId, garmentImage, resultImage, respondWith(promise) }` (`cart`)',
};
