/**
 * The shop's funnel: the events the element adds for analytics and the cart,
 * declared once as data (name, cancelable, when) with their detail types, and
 * the product fields every event's detail carries.
 */
import type { FashnAddToCartDetail } from './cart.js';
import type { FashnConsentDetail } from './consent.js';
import type { FashnShareDetail } from './share.js';

/** `product-id` and `product-url`, in the detail of every event (absent when not set). */
export interface ProductFields {
  productId?: string;
  productUrl?: string;
}

export interface FashnOpenDetail {
  /** What opened it: the trigger (or `open()`/`start()`), or `tryOn()`. */
  source: 'trigger' | 'method';
}

export interface FashnCaptureDetail {
  source: 'camera' | 'upload';
}

export interface FashnDownloadDetail {
  image: string;
}

export interface FunnelEventDetails {
  'fashn-open': FashnOpenDetail;
  'fashn-consent': FashnConsentDetail;
  'fashn-capture': FashnCaptureDetail;
  'fashn-download': FashnDownloadDetail;
  'fashn-share': FashnShareDetail;
  'fashn-add-to-cart': FashnAddToCartDetail;
}

/** Each funnel event once: whether the page may cancel it, and when it fires (for the docs). */
export const FUNNEL_EVENTS: {
  [N in keyof FunnelEventDetails]: { cancelable: boolean; when: string };
} = {
  'fashn-open': {
    cancelable: false,
    when: 'the shopper asked for try-on (the trigger, `open()`, `start()`, `tryOn()`)',
  },
  'fashn-consent': {
    cancelable: false,
    when: 'consent granted or declined, by the element’s step or the page',
  },
  'fashn-capture': {
    cancelable: false,
    when: 'a photo was taken with the camera or picked/dropped as a file',
  },
  'fashn-download': { cancelable: false, when: 'the shopper pressed Download on the result' },
  'fashn-share': { cancelable: false, when: 'a share ended: shared, canceled or fell back' },
  'fashn-add-to-cart': {
    cancelable: true,
    when: 'the shopper pressed Add to cart (`cart` set); the page adds and answers',
  },
};

/** Product fields from the element's attributes: only non-empty values, so details stay clean. */
export function productFields(
  productId: string | undefined,
  productUrl: string | undefined,
): ProductFields {
  const fields: ProductFields = {};
  if (productId) fields.productId = productId;
  if (productUrl) fields.productUrl = productUrl;
  return fields;
}
