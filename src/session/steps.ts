/**
 * The two FASHN steps of a try-on, DOM-free: the photo to an avatar
 * (`face-to-model`) and the avatar in the garment (`tryon-v1.6`), with the
 * inputs built from the element's configuration. Both look in the memory
 * first, share an avatar run with every element and tab that needs the same
 * one, and record predictions so they can be resumed. The element supplies
 * the page's veto, progress, the memory and the client through a `StepContext`.
 */
import { FashnError } from '../api/errors.js';
import {
  expectedDurationMs,
  type FashnPredictClient,
  type PredictProgress,
} from '../api/client.js';
import type { FaceToModelInputs, ModelInputs, ModelName, TryonInputs } from '../api/schemas.js';
import { shareWork } from '../cache/dedupe.js';
import { avatarKey, resultKey } from '../cache/keys.js';
import {
  predictResumable,
  type PendingPrediction,
  type ResumableOptions,
} from '../cache/resume.js';
import type { KeptAvatar, TryOnMemory } from '../cache/memory.js';
import { blobToDataUrl } from '../capture/data-url.js';
import type { TryOnConfig } from './config.js';
import type { FashnProgressStatus, TryOnResult } from './details.js';

export type RunStep = 'avatar' | 'tryon';

type Progress = Omit<PredictProgress, 'status'> & { status: FashnProgressStatus };

export interface StepContext {
  signal: AbortSignal;
  config: TryOnConfig;
  client: Pick<FashnPredictClient, 'predict'>;
  memory: TryOnMemory;
  board: ProgressBoard;
  /** Turns the shopper's photo into the JPEG sent as `face_image`. */
  prepare: (photo: Blob, signal: AbortSignal) => Promise<Blob>;
  /** Asks the page before a paid call; throws when it vetoes the call. */
  beforeRun: <M extends ModelName>(model: M, inputs: ModelInputs[M], step: RunStep) => void;
  progress: (step: RunStep, progress: Progress) => void;
  /** Reports a storage failure (non-fatal: the flow goes on). */
  storageFailed: (cause: unknown) => void;
}

/**
 * Progress of shared avatar runs, by avatar key, for every session waiting on
 * one; and the last of each, for those joining late. Sessions of one page share
 * one board (the element passes it in).
 */
export class ProgressBoard {
  readonly #target = new EventTarget();
  readonly #last = new Map<string, Progress>();

  /** Follows `key`'s progress (the last one at once); returns the way to stop. */
  follow(key: string, listener: (progress: Progress) => void): () => void {
    const listen = (event: Event) => listener((event as CustomEvent<Progress>).detail);
    this.#target.addEventListener(key, listen);
    const last = this.#last.get(key);
    if (last) listener(last);
    return () => this.#target.removeEventListener(key, listen);
  }

  post(key: string, progress: Progress): void {
    this.#last.set(key, progress);
    this.#target.dispatchEvent(new CustomEvent(key, { detail: progress }));
  }

  end(key: string): void {
    this.#last.delete(key);
  }
}

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
): Promise<{ avatar: KeptAvatar; cached: boolean }> {
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
    if (!photo) throw new FashnError({ code: 'invalid-image', message: 'No photo' });
    const blob = await context.prepare(photo, signal);
    key = await avatarKey(blob, params);
    const found = await memory.findAvatar(key);
    if (found) return { avatar: found, cached: true };
    face = await blobToDataUrl(blob);
  }
  const id = key;
  const inputs: FaceToModelInputs = {
    face_image: face,
    ...params,
    return_base64: config.returnBase64,
  };
  const keep = (image: string, blob?: Blob): Promise<KeptAvatar> => {
    const avatar = { key: id, image, createdAt: Date.now() };
    return memory.keepAvatar({ ...avatar, blob, params, cacheDays: config.cacheDays }).then(
      (kept) => ({ ...kept, image }),
      (cause) => (context.storageFailed(cause), avatar),
    );
  };
  const { board } = context;
  const unfollow = board.follow(id, (progress) => context.progress('avatar', progress));
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
          onProgress: (detail) => board.post(id, detail),
        }).finally(() => board.end(id));
        return keep(output[0]);
      },
      { signal, recheck: () => memory.findAvatar(id) },
    );
    // Made for another element's memory (one that does not remember): kept in this one too.
    const avatar =
      made.blob && !(await memory.findAvatar(id)) ? await keep(made.image, made.blob) : made;
    return { avatar, cached: false };
  } finally {
    unfollow();
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
  avatar: KeptAvatar,
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
    model_image: await memory.modelImage(avatar, config.returnBase64),
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
