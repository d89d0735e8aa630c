/**
 * zod/mini schemas of FASHN's protocol for the two models this project uses:
 * what the proxy lets through, what the emulator accepts, and the answers as
 * Node reads them. The browser bundle does without this module: the element
 * checks its attributes with models.ts and reads answers with answers.ts (a
 * test holds those to the same verdicts), and `FashnClient` checks inputs with
 * these schemas only when given them (`validate`).
 */
import * as z from 'zod/mini';
import {
  ASPECT_RATIOS,
  CATEGORIES,
  GARMENT_PHOTO_TYPES,
  IMAGE_INPUT_RULE,
  MAX_SEED,
  MODERATION_LEVELS,
  MODES,
  OUTPUT_FORMATS,
  STATUSES,
  isImageInput,
} from './models.js';

export * from './models.js';
export { describeIssue } from './answers.js';

/** An image input: an http(s) URL or a `data:image/...;base64,` URL. */
export const imageInput = z.string().check(z.refine(isImageInput, { message: IMAGE_INPUT_RULE }));

const seed = z.int().check(z.minimum(0), z.maximum(MAX_SEED));

/** `face-to-model` inputs. Unknown keys are refused (the proxy forwards nothing else). */
export const faceToModelInputs = z.strictObject({
  face_image: imageInput,
  prompt: z.optional(z.string().check(z.maxLength(500))),
  aspect_ratio: z._default(z.enum(ASPECT_RATIOS), '2:3'),
  seed: z._default(seed, 42),
  output_format: z._default(z.enum(OUTPUT_FORMATS), 'jpeg'),
  return_base64: z._default(z.boolean(), false),
});
export type FaceToModelInputs = z.input<typeof faceToModelInputs>;

/** `tryon-v1.6` inputs, with FASHN's documented ranges and defaults. */
export const tryonInputs = z.strictObject({
  model_image: imageInput,
  garment_image: imageInput,
  category: z._default(z.enum(CATEGORIES), 'auto'),
  segmentation_free: z._default(z.boolean(), true),
  moderation_level: z._default(z.enum(MODERATION_LEVELS), 'permissive'),
  garment_photo_type: z._default(z.enum(GARMENT_PHOTO_TYPES), 'auto'),
  mode: z._default(z.enum(MODES), 'balanced'),
  seed: z._default(seed, 42),
  num_samples: z._default(z.int().check(z.minimum(1), z.maximum(4)), 1),
  output_format: z._default(z.enum(OUTPUT_FORMATS), 'png'),
  return_base64: z._default(z.boolean(), false),
});
export type TryonInputs = z.input<typeof tryonInputs>;

export interface ModelInputs {
  'face-to-model': FaceToModelInputs;
  'tryon-v1.6': TryonInputs;
}

export const inputSchemas = {
  'face-to-model': faceToModelInputs,
  'tryon-v1.6': tryonInputs,
} as const;

/** `POST /run` body. */
export const runRequest = z.object({
  model_name: z.string(),
  inputs: z.record(z.string(), z.unknown()),
});

/** `POST /run` success answer. */
export const runResponse = z.object({
  id: z.string().check(z.minLength(1)),
  error: z.optional(z.nullable(z.unknown())),
});
export type RunResponse = z.infer<typeof runResponse>;

/** Runtime error object in a failed status: `{ name, message }`. */
export const runtimeError = z.object({
  name: z.string(),
  message: z.optional(z.string()),
});
export type RuntimeError = z.infer<typeof runtimeError>;

/**
 * `GET /status/{id}` answer. The face-to-model page calls the outputs `images`;
 * every other page says `output`. Both are accepted; `output` wins.
 */
export const statusResponse = z.pipe(
  z.object({
    id: z.string(),
    status: z.enum(STATUSES),
    output: z.optional(z.nullable(z.array(z.string()))),
    images: z.optional(z.nullable(z.array(z.string()))),
    error: z.optional(z.nullable(z.union([runtimeError, z.string()]))),
  }),
  z.transform((value) => ({
    id: value.id,
    status: value.status,
    output: value.output ?? value.images ?? null,
    error:
      value.error == null
        ? null
        : typeof value.error === 'string'
          ? { name: value.error, message: value.error }
          : value.error,
  })),
);
export type StatusResponse = z.output<typeof statusResponse>;

/** API-level refusal: HTTP status with `{ error: string, message }`. */
export const apiError = z.object({
  error: z.string(),
  message: z.optional(z.string()),
});
export type ApiErrorBody = z.infer<typeof apiError>;
