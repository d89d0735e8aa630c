/**
 * The element's public events (SPEC "Events"): detail types, their
 * `HTMLElementEventMap` entries, and the one helper that dispatches them.
 */
import type { FashnErrorDetail } from '../api/errors.js';
import type { ModelInputs, ModelName } from '../api/schemas.js';
import type { FaceBox, PhotoFinding, PhotoMeasures } from '../photo-check/types.js';

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

/**
 * `fashn-photo-check`: what the on-device check found in the photo at review,
 * before anything is sent. `faces` is null when the browser has no face
 * detector (then no face findings); `measures` are the numbers behind the
 * findings, for a shop's logs.
 */
export interface FashnPhotoCheckDetail {
  mode: 'advise' | 'require' | 'off';
  findings: PhotoFinding[];
  measures: PhotoMeasures;
  faces: FaceBox[] | null;
}

/** What `tryOn()` and `useSelfie()` resolve with: the `fashn-result` detail. */
export type TryOnResult = FashnResultDetail;

export type FashnErrorEventDetail = FashnErrorDetail;

export interface FashnEventDetails {
  'fashn-state-change': FashnStateChangeDetail;
  'fashn-before-run': FashnBeforeRunDetail;
  'fashn-progress': FashnProgressDetail;
  'fashn-avatar': FashnAvatarDetail;
  'fashn-result': FashnResultDetail;
  'fashn-error': FashnErrorEventDetail;
  'fashn-photo-check': FashnPhotoCheckDetail;
}

export type FashnEventName = keyof FashnEventDetails;

declare global {
  interface HTMLElementEventMap {
    'fashn-state-change': CustomEvent<FashnStateChangeDetail>;
    'fashn-before-run': CustomEvent<FashnBeforeRunDetail>;
    'fashn-progress': CustomEvent<FashnProgressDetail>;
    'fashn-avatar': CustomEvent<FashnAvatarDetail>;
    'fashn-result': CustomEvent<FashnResultDetail>;
    'fashn-error': CustomEvent<FashnErrorEventDetail>;
    'fashn-photo-check': CustomEvent<FashnPhotoCheckDetail>;
  }
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
