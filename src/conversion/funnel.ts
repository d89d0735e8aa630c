/**
 * The shop's funnel: the detail types of the events the element adds for
 * analytics and the cart (declared with the others in `element/events.ts`),
 * and the product fields every event's detail carries.
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
