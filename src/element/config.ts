/**
 * Attribute parsing and validation (SPEC "Attributes"). Never throws: each
 * refused value becomes an issue naming the attribute, and its default is used.
 */
import * as z from 'zod/mini';
import {
  ASPECT_RATIOS,
  CATEGORIES,
  GARMENT_PHOTO_TYPES,
  MODERATION_LEVELS,
  MODES,
  OUTPUT_FORMATS,
  imageInput,
} from '../api/schemas.js';

/** Raw property values as attributes or page scripts set them. */
export type RawValue = string | number | boolean | null | undefined;

export interface TryOnConfig {
  garmentImage: string | undefined;
  proxyUrl: string;
  category: (typeof CATEGORIES)[number];
  mode: (typeof MODES)[number];
  garmentPhotoType: (typeof GARMENT_PHOTO_TYPES)[number];
  numSamples: number;
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
}

export interface ConfigIssue {
  /** The attribute name, e.g. `num-samples`. */
  attribute: string;
  value: RawValue;
  message: string;
}

const bool = z.pipe(
  z.union([z.boolean(), z.enum(['true', 'false', ''])]),
  z.transform((v) => v === true || v === 'true' || v === ''),
);
const int = (min: number, max: number) =>
  z.pipe(
    z.union([z.number(), z.string().check(z.regex(/^\s*\d+\s*$/))]),
    z.pipe(z.transform(Number), z.int().check(z.minimum(min), z.maximum(max))),
  );
const httpUrl = z.string().check(
  z.refine((v) => {
    try {
      return /^https?:$/.test(new URL(v, 'https://relative.invalid/').protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL'),
);
const captureSchema = z.pipe(
  z.string().check(z.regex(/^\s*(camera|upload)(\s+(camera|upload))?\s*$/)),
  z.transform((v) => ({ camera: v.includes('camera'), upload: v.includes('upload') })),
);

/** Schema and default per attribute; the key is the camelCase property. */
const FIELDS: { [K in keyof TryOnConfig]: [attribute: string, z.ZodMiniType, TryOnConfig[K]] } = {
  garmentImage: ['garment-image', imageInput, undefined],
  proxyUrl: ['proxy-url', z.string().check(z.minLength(1)), '/api/fashn'],
  category: ['category', z.enum(CATEGORIES), 'auto'],
  mode: ['mode', z.enum(MODES), 'balanced'],
  garmentPhotoType: ['garment-photo-type', z.enum(GARMENT_PHOTO_TYPES), 'auto'],
  numSamples: ['num-samples', int(1, 4), 1],
  seed: ['seed', int(0, 2 ** 32 - 1), 42],
  outputFormat: ['output-format', z.enum(OUTPUT_FORMATS), 'jpeg'],
  moderationLevel: ['moderation-level', z.enum(MODERATION_LEVELS), 'permissive'],
  segmentationFree: ['segmentation-free', bool, true],
  returnBase64: ['return-base64', bool, true],
  avatarPrompt: ['avatar-prompt', z.string().check(z.maxLength(500)), undefined],
  avatarAspectRatio: ['avatar-aspect-ratio', z.enum(ASPECT_RATIOS), '2:3'],
  layout: ['layout', z.enum(['dialog', 'inline']), 'dialog'],
  capture: ['capture', captureSchema, { camera: true, upload: true }],
  remember: ['remember', bool, true],
  cacheDays: ['cache-days', int(1, 3650), 30],
  privacyUrl: ['privacy-url', httpUrl, undefined],
};

/** The attribute name of every configurable property (for Lit's `attribute:` option). */
export const ATTRIBUTES = Object.fromEntries(
  Object.entries(FIELDS).map(([key, [attribute]]) => [key, attribute]),
) as { [K in keyof TryOnConfig]: string };

/**
 * Validates raw property values. Missing (null/undefined) values take the
 * default silently; refused ones take the default and are listed in `issues`.
 */
export function readConfig(raw: Partial<Record<keyof TryOnConfig, RawValue>>): {
  config: TryOnConfig;
  issues: ConfigIssue[];
} {
  const config = {} as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  for (const [key, [attribute, schema, fallback]] of Object.entries(FIELDS)) {
    const value = raw[key as keyof TryOnConfig];
    config[key] = fallback;
    if (value == null) continue;
    const parsed = z.safeParse(schema, typeof value === 'string' ? value.trim() : value);
    if (parsed.success) config[key] = parsed.data;
    else
      issues.push({
        attribute,
        value,
        message: `${attribute}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`,
      });
  }
  return { config: config as unknown as TryOnConfig, issues };
}
