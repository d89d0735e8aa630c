/**
 * The two FASHN steps of a try-on, DOM-free: the photo to an avatar
 * (`face-to-model`) and the avatar in the garment (`tryon-v1.6`), with the
 * inputs built from the element's configuration. Both look in the memory
 * first, share an avatar run with every element and tab that needs the same
 * one, and record predictions so they can be resumed. The element supplies
 * the events, the memory and the client through a `StepContext`.
 */
import { expectedDurationMs, type FashnClient, type PredictProgress } from '../api/client.js';
import type { FaceToModelInputs, ModelInputs, ModelName, TryonInputs } from '../api/schemas.js';
import { shareWork } from '../cache/dedupe.js';
import { avatarKey, resultKey } from '../cache/keys.js';
import {
  predictResumable,
  type PendingPrediction,
  type ResumableOptions,
} from '../cache/resume.js';
import type { StoredAvatar, TryOnStore } from '../cache/store.js';
import { blobToDataUrl, normalizeImage } from '../capture/normalize.js';
import type { TryOnConfig } from './config.js';
import type { FashnProgressStatus, TryOnResult } from './events.js';

export type RunStep = 'avatar' | 'tryon';

/** The avatar an element holds: kept (with its bytes), or FASHN's output as it came when keeping failed. */
export type Avatar = Pick<StoredAvatar, 'key' | 'image' | 'createdAt'> & Partial<StoredAvatar>;

type Progress = Omit<PredictProgress, 'status'> & { status: FashnProgressStatus };

export interface StepContext {
  signal: AbortSignal;
  config: TryOnConfig;
  client: Pick<FashnClient, 'predict'>;
  memory: TryOnStore;
  /** Emits `fashn-before-run`; throws when the page vetoes the call. */
  beforeRun<M extends ModelName>(model: M, inputs: ModelInputs[M], step: RunStep): void;
  progress(step: RunStep, progress: Progress): void;
  /** Reports a storage failure (non-fatal: the flow goes on). */
  storageFailed(cause: unknown): void;
}

/** Progress of shared avatar runs, by avatar key, for every element waiting on one; and the last of each, for those joining late. */
const progressOf = new EventTarget();
const lastProgress = new Map<string, Progress>();

/** Runs (or, with `resume`, polls again) a recorded prediction; a resumed one is not a new call. */
function predict<M extends ModelName>(
  context: StepContext,
  model: M,
  inputs: ModelInputs[M],
  options: ResumableOptions,
) {
  const { signal = context.signal, resume } = options;
  signal.throwIfAborted();
  if (!resume) context.beforeRun(model, inputs, model === 'tryon-v1.6' ? 'tryon' : 'avatar');
  return predictResumable(context.client, context.memory, model, inputs, { ...options, signal });
}

/**
 * Normalises `photo` (status `preparing`) and gives its avatar: kept from an
 * earlier run (`true`: no call), or made by one face-to-model call shared with
 * every element and tab that needs the same one, then kept. `resume`: that
 * recorded face-to-model prediction is polled instead (no photo needed).
 */
export async function makeAvatar(
  context: StepContext,
  photo: Blob | undefined,
  resume?: PendingPrediction,
): Promise<[Avatar, boolean]> {
  const { config, signal, memory } = context;
  context.progress('avatar', {
    status: 'preparing',
    elapsedMs: 0,
    estimatedMs: expectedDurationMs('face-to-model'),
  });
  const params = {
    aspect_ratio: config.avatarAspectRatio,
    output_format: 'jpeg' as const,
    prompt: config.avatarPrompt,
  };
  let key = resume?.requestKey;
  let face = '';
  if (!key) {
    const { blob } = await normalizeImage(photo!, { signal });
    key = await avatarKey(blob, params);
    const found = await memory.findAvatar(key);
    if (found) return [found, true];
    face = await blobToDataUrl(blob);
  }
  const id = key;
  const inputs: FaceToModelInputs = {
    face_image: face,
    ...params,
    return_base64: config.returnBase64,
  };
  const keep = (image: string, blob?: Blob): Promise<Avatar> => {
    const avatar = { key: id, image, createdAt: Date.now() };
    return memory.keepAvatar({ ...avatar, blob, params, cacheDays: config.cacheDays }).then(
      (kept) => ({ ...kept, image }),
      (cause) => (context.storageFailed(cause), avatar),
    );
  };
  const listen = (event: Event) => context.progress('avatar', (event as CustomEvent).detail);
  progressOf.addEventListener(id, listen);
  const last = lastProgress.get(id);
  if (last) context.progress('avatar', last);
  try {
    const made = await shareWork(
      id,
      async (shared) => {
        const { output } = await predict(context, 'face-to-model', inputs, {
          requestKey: id,
          avatarKey: id,
          resume,
          // A resumed avatar run has no photo left to send again.
          rerunnable: face !== '',
          signal: shared,
          onProgress: (detail) => {
            lastProgress.set(id, detail);
            progressOf.dispatchEvent(new CustomEvent(id, { detail }));
          },
        }).finally(() => lastProgress.delete(id));
        return keep(output[0]!);
      },
      { signal, recheck: () => memory.findAvatar(id) },
    );
    // Made for another element's memory (one that does not remember): kept in this one too.
    return [
      made.blob && !(await memory.findAvatar(id)) ? await keep(made.image, made.blob) : made,
      false,
    ];
  } finally {
    progressOf.removeEventListener(id, listen);
  }
}

/** `tryon-v1.6` parameters from the configuration (everything but the two images). */
function tryonParams(config: TryOnConfig, seed = config.seed) {
  return {
    category: config.category,
    mode: config.mode,
    garment_photo_type: config.garmentPhotoType,
    num_samples: config.numSamples,
    seed,
    output_format: config.outputFormat,
    moderation_level: config.moderationLevel,
    segmentation_free: config.segmentationFree,
    return_base64: config.returnBase64,
  };
}

/**
 * Dresses `avatar` in `garment`. An earlier result for the same avatar, garment
 * and parameters is given again (`cached: true`) without a prediction; a new
 * one is kept. `resume`: that recorded try-on prediction is polled instead.
 */
export async function makeTryon(
  context: StepContext,
  avatar: Avatar,
  garment: string,
  avatarCached: boolean,
  seed?: number,
  resume?: PendingPrediction,
): Promise<TryOnResult> {
  const { config, memory } = context;
  const params = tryonParams(config, seed);
  const key = resume?.requestKey ?? (await resultKey(avatar.key, garment, params));
  const common = { garmentImage: garment, avatarCached };
  const kept = !resume && (await memory.getResult(key));
  if (kept) {
    const { images, predictionId, durationMs } = kept;
    return { ...common, images, predictionId, durationMs, cached: true };
  }
  const inputs: TryonInputs = {
    model_image: avatar.blob
      ? await memory.modelImage(avatar as StoredAvatar, config.returnBase64)
      : avatar.image,
    garment_image: garment,
    ...params,
  };
  const { id, output, durationMs } = await predict(context, 'tryon-v1.6', inputs, {
    requestKey: key,
    avatarKey: avatar.key,
    garment,
    resume,
    onProgress: (progress) => context.progress('tryon', progress),
  });
  const result = { images: output, predictionId: id, durationMs };
  const saving = memory
    .setResult(key, { ...result, avatarKey: avatar.key, createdAt: Date.now() })
    .catch(context.storageFailed);
  // Base64 outputs are kept at once; https ones are downloaded while the result shows.
  if (config.returnBase64) await saving;
  return { ...common, ...result, cached: false };
}
