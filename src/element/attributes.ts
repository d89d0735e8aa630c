/**
 * The element's attributes, declared once: each configurable property and the
 * attribute that sets it. Small on purpose (the page loads it before anyone
 * asks for a try-on); the rules, defaults and descriptions live in `config.ts`,
 * keyed by these properties, and the property types, the JSX props and the
 * docs are derived from both. Add new attributes here first.
 */
export const ATTRIBUTES = {
  garmentImage: 'garment-image',
  proxyUrl: 'proxy-url',
  category: 'category',
  mode: 'mode',
  garmentPhotoType: 'garment-photo-type',
  numSamples: 'num-samples',
  seed: 'seed',
  outputFormat: 'output-format',
  moderationLevel: 'moderation-level',
  segmentationFree: 'segmentation-free',
  returnBase64: 'return-base64',
  avatarPrompt: 'avatar-prompt',
  avatarAspectRatio: 'avatar-aspect-ratio',
  layout: 'layout',
  capture: 'capture',
  remember: 'remember',
  cacheDays: 'cache-days',
  privacyUrl: 'privacy-url',
  photoCheck: 'photo-check',
  productId: 'product-id',
  productUrl: 'product-url',
  cart: 'cart',
  consent: 'consent',
} as const;

export type AttributeProperty = keyof typeof ATTRIBUTES;

/** The configurable properties, in attribute order. */
export const CONFIG_KEYS = Object.keys(ATTRIBUTES) as AttributeProperty[];

/** The property an attribute sets, by attribute name. */
export const PROPERTY_OF = Object.fromEntries(
  CONFIG_KEYS.map((key) => [ATTRIBUTES[key], key]),
) as Record<string, AttributeProperty>;
