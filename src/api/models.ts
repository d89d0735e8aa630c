/**
 * FASHN's vocabulary for the two models this project uses, without zod: model
 * names, the values of their enum inputs, prediction statuses and the rule an
 * image input follows. The zod schemas (schemas.ts, for servers) and the
 * element's attribute checks (browser) share these.
 */

/** The models the proxy forwards and the element runs. */
export const MODEL_NAMES = ['face-to-model', 'tryon-v1.6'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** Whether `value` names one of `MODEL_NAMES`. */
export function isModelName(value: unknown): value is ModelName {
  return typeof value === 'string' && (MODEL_NAMES as readonly string[]).includes(value);
}

// The values FASHN accepts for each enum input (face-to-model and tryon-v1.6 pages).
export const ASPECT_RATIOS = ['1:1', '4:5', '3:4', '2:3', '9:16'] as const;
export const CATEGORIES = ['auto', 'tops', 'bottoms', 'one-pieces'] as const;
export const MODES = ['performance', 'balanced', 'quality'] as const;
export const GARMENT_PHOTO_TYPES = ['auto', 'flat-lay', 'model'] as const;
export const OUTPUT_FORMATS = ['png', 'jpeg'] as const;
export const MODERATION_LEVELS = ['conservative', 'permissive', 'none'] as const;

/** Largest `seed` FASHN accepts. */
export const MAX_SEED = 2 ** 32 - 1;

/** A prediction's statuses, in the order they come. */
export const STATUSES = [
  'starting',
  'in_queue',
  'processing',
  'completed',
  'failed',
  'canceled',
] as const;
export type PredictionStatus = (typeof STATUSES)[number];
export const PENDING_STATUSES: readonly PredictionStatus[] = ['starting', 'in_queue', 'processing'];
/** The statuses a prediction ends with: nothing changes after them. */
export const FINAL_STATUSES = ['completed', 'failed', 'canceled'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** Whether `status` ends the prediction. */
export function isFinalStatus<S extends string>(status: S): status is Extract<S, FinalStatus> {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** What `isImageInput` requires, as said in refusals. */
export const IMAGE_INPUT_RULE = 'must be an http(s) URL or a data:image/...;base64, URL';

/** Whether `value` is a valid image input: an http(s) URL or a `data:image/...;base64,` URL. */
export function isImageInput(value: string): boolean {
  return (
    /^https?:\/\/\S+$/i.test(value) || /^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=\s]+$/.test(value)
  );
}
