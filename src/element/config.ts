/**
 * Attribute parsing and validation (README "Attributes"). Never throws: each
 * refused value becomes an issue naming the attribute, and its default is used.
 * Plain code rather than zod: the checks are a handful of enums and ranges,
 * and they run on every product page before the shopper does anything.
 */
import {
  ASPECT_RATIOS,
  CATEGORIES,
  GARMENT_PHOTO_TYPES,
  IMAGE_INPUT_RULE,
  MAX_SEED,
  MODERATION_LEVELS,
  MODES,
  OUTPUT_FORMATS,
  isImageInput,
} from '../api/models.js';
import { PHOTO_CHECK_MODES, type TryOnConfig } from '../session/config.js';
import { ATTRIBUTES, type AttributeProperty } from './attributes.js';

export { CONFIG_KEYS } from './attributes.js';
export { PHOTO_CHECK_MODES, type PhotoCheckMode, type TryOnConfig } from '../session/config.js';

/** Raw property values as attributes or page scripts set them. */
export type RawValue = string | number | boolean | null | undefined;

export interface ConfigIssue {
  /** The attribute name, e.g. `num-samples`. */
  attribute: string;
  value: RawValue;
  message: string;
}

/** The parsed configuration covers exactly the declared attributes. */
type Covers<T extends Record<AttributeProperty, unknown>> = T;
export type DeclaredConfig = Covers<TryOnConfig>;

/** Reads a (trimmed) value; `undefined` refuses it. */
type Parse<T> = (value: string | number | boolean) => T | undefined;

/** A parser and what it expects, for the issue's message. */
type Rule<T> = [parse: Parse<T>, expected: string];

const oneOf = <T extends string>(values: readonly T[]): Rule<T> => [
  (v) => ((values as readonly unknown[]).includes(v) ? (v as T) : undefined),
  `expected one of ${values.join(', ')}`,
];

const bool: Rule<boolean> = [
  (v) =>
    v === true || v === 'true' || v === ''
      ? true
      : v === false || v === 'false'
        ? false
        : undefined,
  'expected "true" or "false"',
];

const int = <N extends number = number>(min: N, max: N): Rule<N> => [
  (v) => {
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isInteger(n) && n >= min && n <= max ? (n as N) : undefined;
  },
  `expected a whole number from ${min} to ${max}`,
];

const text = (test: (v: string) => boolean, expected: string): Rule<string> => [
  (v) => (typeof v === 'string' && test(v) ? v : undefined),
  expected,
];

const isHttpUrl = (v: string) => {
  try {
    return /^https?:$/.test(new URL(v, 'https://relative.invalid/').protocol);
  } catch {
    return false;
  }
};

const capture: Rule<TryOnConfig['capture']> = [
  (v) =>
    typeof v === 'string' && /^(camera|upload)(\s+(camera|upload))?$/.test(v)
      ? { camera: v.includes('camera'), upload: v.includes('upload') }
      : undefined,
  'expected "camera", "upload" or both',
];

/** Rule and default per property (the attribute is `ATTRIBUTES[key]`; its description is in `docs.ts`). */
const FIELDS: { [K in keyof TryOnConfig]: [Rule<TryOnConfig[K] & {}>, TryOnConfig[K]] } = {
  garmentImage: [text(isImageInput, IMAGE_INPUT_RULE), undefined],
  proxyUrl: [text(Boolean, 'expected a URL'), '/api/fashn'],
  category: [oneOf(CATEGORIES), 'auto'],
  mode: [oneOf(MODES), 'balanced'],
  garmentPhotoType: [oneOf(GARMENT_PHOTO_TYPES), 'auto'],
  numSamples: [int<1 | 2 | 3 | 4>(1, 4), 1],
  seed: [int(0, MAX_SEED), 42],
  outputFormat: [oneOf(OUTPUT_FORMATS), 'jpeg'],
  moderationLevel: [oneOf(MODERATION_LEVELS), 'permissive'],
  segmentationFree: [bool, true],
  returnBase64: [bool, true],
  avatarPrompt: [text((v) => v.length <= 500, 'at most 500 characters'), undefined],
  avatarAspectRatio: [oneOf(ASPECT_RATIOS), '2:3'],
  layout: [oneOf(['dialog', 'inline'] as const), 'dialog'],
  capture: [capture, { camera: true, upload: true }],
  remember: [bool, true],
  cacheDays: [int(1, 3650), 30],
  privacyUrl: [text(isHttpUrl, 'must be an http(s) URL'), undefined],
  photoCheck: [oneOf(PHOTO_CHECK_MODES), 'advise'],
  productId: [text((v) => v.length > 0 && v.length <= 200, '1 to 200 characters'), undefined],
  productUrl: [text(isHttpUrl, 'must be an http(s) URL'), undefined],
  cart: [bool, false],
  consent: [oneOf(['element', 'external'] as const), 'element'],
};

/** The URLs that leave the page (to FASHN, in events): made absolute once, here. */
const RESOLVED = new Set(['garmentImage', 'productUrl']);

/**
 * Validates raw property values (the element itself holds them by key).
 * Missing (null/undefined) values take the default silently; refused ones
 * take the default and are listed in `issues`. A relative `garment-image` or
 * `product-url` is resolved against `base` (the page's base URL), as
 * `<img src>` would be.
 */
export function readConfig(
  raw: Partial<Record<keyof TryOnConfig, RawValue>>,
  base?: string,
): {
  config: TryOnConfig;
  issues: ConfigIssue[];
} {
  const config: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const [key, [[parse, expected], fallback]] of Object.entries(FIELDS)) {
    const attribute = ATTRIBUTES[key as AttributeProperty];
    let value = raw[key as keyof TryOnConfig];
    if (RESOLVED.has(key) && base && typeof value === 'string') value = resolveUrl(value, base);
    const parsed =
      value == null ? undefined : parse(typeof value === 'string' ? value.trim() : value);
    config[key] = parsed ?? fallback;
    if (value != null && parsed === undefined)
      issues.push({ attribute, value, message: `${attribute}: ${expected}` });
  }
  return { config: config as unknown as TryOnConfig, issues };
}

/**
 * A relative `url` made absolute against `base`. Empty values, values with a
 * scheme (`https:`, `data:`) and what cannot be resolved stay as they are, to
 * be judged as written.
 */
function resolveUrl(url: string, base: string): string {
  const trimmed = url.trim();
  if (!trimmed || /^[a-z][\w+.-]*:/i.test(trimmed)) return url;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return url;
  }
}
