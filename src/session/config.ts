/**
 * What one try-on is configured with, DOM-free: the session runs on it, and the
 * element reads it from its attributes (`element/config.ts`, README "Attributes").
 */
import type {
  ASPECT_RATIOS,
  CATEGORIES,
  GARMENT_PHOTO_TYPES,
  MODERATION_LEVELS,
  MODES,
  OUTPUT_FORMATS,
} from '../api/models.js';

export interface TryOnConfig {
  garmentImage: string | undefined;
  proxyUrl: string;
  category: (typeof CATEGORIES)[number];
  mode: (typeof MODES)[number];
  garmentPhotoType: (typeof GARMENT_PHOTO_TYPES)[number];
  numSamples: 1 | 2 | 3 | 4;
  seed: number;
  outputFormat: (typeof OUTPUT_FORMATS)[number];
  moderationLevel: (typeof MODERATION_LEVELS)[number];
  segmentationFree: boolean;
  returnBase64: boolean;
  avatarPrompt: string | undefined;
  avatarAspectRatio: (typeof ASPECT_RATIOS)[number];
  layout: 'dialog' | 'inline';
  capture: { camera: boolean; upload: boolean };
  remember: boolean;
  cacheDays: number;
  privacyUrl: string | undefined;
  photoCheck: PhotoCheckMode;
  productId: string | undefined;
  productUrl: string | undefined;
  cart: boolean;
  consent: 'element' | 'external';
}

/** `photo-check`: `off`, `advise` (findings shown, "Use anyway" offered) or `require` (retake only). */
export const PHOTO_CHECK_MODES = ['off', 'advise', 'require'] as const;
export type PhotoCheckMode = (typeof PHOTO_CHECK_MODES)[number];
