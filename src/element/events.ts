/**
 * The element's public events (SPEC "Events"): detail types, their
 * `HTMLElementEventMap` entries, and the one helper that dispatches them.
 */
import type { FashnErrorDetail } from '../api/errors.js';
import type { ModelInputs, ModelName } from '../api/schemas.js';
import type { FunnelEventDetails, ProductFields } from '../conversion/funnel.js';

export type * from '../conversion/funnel.js';
export type { FashnAddToCartDetail, CartAnswer } from '../conversion/cart.js';
export type { FashnConsentDetail } from '../conversion/consent.js';
export type { FashnShareDetail, ShareOutcome } from '../conversion/share.js';

/** The flow's states (SPEC "States"). */
export type FashnState =
  'idle' | 'consent' | 'capture' | 'review' | 'avatar' | 'tryon' | 'result' | 'error';

export interface FashnStateChangeDetail {
  state: FashnState;
  previousState: FashnState;
}

/** `fashn-before-run`: the model and the exact inputs about to be sent (images as data URLs). */
export type FashnBeforeRunDetail = {
  [M in ModelName]: { model: M; inputs: ModelInputs[M] };
}[ModelName];

export type FashnProgressStatus = 'preparing' | 'starting' | 'in_queue' | 'processing' | 'retrying';

export interface FashnProgressDetail {
  step: 'avatar' | 'tryon';
  status: FashnProgressStatus;
  predictionId?: string;
  elapsedMs: number;
  estimatedMs: number;
}

export interface FashnAvatarDetail {
  /** `data:`, `https:` or `blob:` URL of the avatar. */
  image: string;
  /** True when the avatar was kept from an earlier visit or run (no new prediction). */
  cached: boolean;
  createdAt: number;
}

export interface FashnResultDetail {
  images: string[];
  garmentImage: string;
  predictionId: string;
  avatarCached: boolean;
  /** True when an earlier result was shown again without a new prediction. */
  cached: boolean;
  durationMs: number;
}

/** What `tryOn()` and `useSelfie()` resolve with: the `fashn-result` detail. */
export type TryOnResult = FashnResultDetail;

export type FashnErrorEventDetail = FashnErrorDetail;

/** Every event's detail, by name (the funnel's events included). */
export interface FashnEventDetails extends FunnelEventDetails {
  'fashn-state-change': FashnStateChangeDetail;
  'fashn-before-run': FashnBeforeRunDetail;
  'fashn-progress': FashnProgressDetail;
  'fashn-avatar': FashnAvatarDetail;
  'fashn-result': FashnResultDetail;
  'fashn-error': FashnErrorEventDetail;
}

export type FashnEventName = keyof FashnEventDetails;

/** What a listener receives: each detail with the product fields (`product-id`, `product-url`). */
export type FashnEventMap = {
  [N in FashnEventName]: CustomEvent<FashnEventDetails[N] & ProductFields>;
};

declare global {
  // Derived from the table above, so `addEventListener('fashn-share', …)` is typed.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends FashnEventMap {}
}

/**
 * Dispatches one of the element's events from `host` (bubbles, composed).
 * Returns false when a cancelable event was vetoed with `preventDefault()`.
 */
export function emit<N extends FashnEventName>(
  host: EventTarget,
  name: N,
  detail: FashnEventDetails[N],
  { cancelable = false }: { cancelable?: boolean } = {},
): boolean {
  return host.dispatchEvent(
    new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }),
  );
}
