/**
 * What a try-on session tells as it goes, DOM-free: the details of the element's
 * `fashn-before-run`, `fashn-progress`, `fashn-avatar` and `fashn-result` events
 * (declared with the others in `element/events.ts`), made here.
 */
import type { ModelInputs, ModelName } from '../api/schemas.js';

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
