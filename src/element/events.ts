/**
 * The element's public events, declared once in `EVENTS`: each name with its
 * detail type and whether the page may veto it. The event
 * maps (`HTMLElementEventMap`, `GlobalEventHandlersEventMap`), the JSX listener
 * props, the custom-elements manifest, the README table and the demo's log
 * are derived from it.
 */
import type { FashnErrorDetail } from '../api/errors.js';
import type { FaceBox, PhotoFinding, PhotoMeasures } from '../photo-check/types.js';
import type { FashnState } from '../session/flow.js';
import type {
  FashnAvatarDetail,
  FashnBeforeRunDetail,
  FashnProgressDetail,
  FashnResultDetail,
} from '../session/details.js';
import type { FashnAddToCartDetail } from '../conversion/cart.js';
import type { FashnConsentDetail } from '../conversion/consent.js';
import type {
  FashnCaptureDetail,
  FashnDownloadDetail,
  FashnOpenDetail,
  ProductFields,
} from '../conversion/funnel.js';
import type { FashnShareDetail } from '../conversion/share.js';

export type * from '../conversion/funnel.js';
export type { FashnAddToCartDetail, CartAnswer } from '../conversion/cart.js';
export type { FashnConsentDetail } from '../conversion/consent.js';
export type { FashnShareDetail, ShareOutcome } from '../conversion/share.js';

export type { FashnState } from '../session/flow.js';
export type {
  FashnAvatarDetail,
  FashnBeforeRunDetail,
  FashnProgressDetail,
  FashnProgressStatus,
  FashnResultDetail,
  TryOnResult,
} from '../session/details.js';

export interface FashnStateChangeDetail {
  state: FashnState;
  previousState: FashnState;
}

export type FashnErrorEventDetail = FashnErrorDetail;

/**
 * `fashn-photo-check`: what the on-device check found in the photo at review,
 * before anything is sent. `faces` is null when the browser has no face
 * detector (then no face findings); `measures` are the numbers behind the
 * findings, for a shop's logs.
 */
export interface FashnPhotoCheckDetail {
  mode: 'advise' | 'require';
  findings: PhotoFinding[];
  measures: PhotoMeasures;
  faces: FaceBox[] | null;
}

/** One event's declaration; `detail` only carries its type (descriptions: `docs.ts`). */
interface EventSpec<Detail> {
  cancelable: boolean;
  readonly detail?: Detail;
}

const event = <Detail>(cancelable = false): EventSpec<Detail> => ({ cancelable });

/** Every event the element dispatches (all bubble and are composed). Add new ones here. */
export const EVENTS = {
  'fashn-state-change': event<FashnStateChangeDetail>(),
  'fashn-before-run': event<FashnBeforeRunDetail>(true),
  'fashn-progress': event<FashnProgressDetail>(),
  'fashn-avatar': event<FashnAvatarDetail>(),
  'fashn-result': event<FashnResultDetail>(),
  'fashn-error': event<FashnErrorEventDetail>(),
  'fashn-photo-check': event<FashnPhotoCheckDetail>(),
  // The shop's funnel (analytics and the cart).
  'fashn-open': event<FashnOpenDetail>(),
  'fashn-consent': event<FashnConsentDetail>(),
  'fashn-capture': event<FashnCaptureDetail>(),
  'fashn-download': event<FashnDownloadDetail>(),
  'fashn-share': event<FashnShareDetail>(),
  'fashn-add-to-cart': event<FashnAddToCartDetail>(true),
};

export type FashnEventName = keyof typeof EVENTS;

/** Each event's detail, by name. */
export type FashnEventDetails = {
  [N in FashnEventName]: (typeof EVENTS)[N] extends EventSpec<infer Detail> ? Detail : never;
};

/** Each event as a listener receives it, by name: every detail with the product fields. */
export type FashnEventMap = {
  [N in FashnEventName]: CustomEvent<FashnEventDetails[N] & ProductFields>;
};

/** The event names, in declaration order. */
export const EVENT_NAMES = Object.keys(EVENTS) as FashnEventName[];

declare global {
  // Typed listeners on the element, and on `document`/`window` where the events bubble to.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into the DOM's map
  interface HTMLElementEventMap extends FashnEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into the DOM's map
  interface GlobalEventHandlersEventMap extends FashnEventMap {}
}

/**
 * Dispatches one of the element's events from `host` (bubbles, composed;
 * cancelable as declared). Returns false when the page vetoed it.
 */
export function emit<N extends FashnEventName>(
  host: EventTarget,
  name: N,
  detail: FashnEventDetails[N],
): boolean {
  const { cancelable } = EVENTS[name];
  return host.dispatchEvent(
    new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }),
  );
}
