/**
 * The two FASHN steps of a try-on, DOM-free: the photo to an avatar
 * (`face-to-model`) and the avatar in the garment (`tryon-v1.6`), with the
 * inputs built from the element's configuration. The element supplies the
 * events, the memory and the client through a `StepContext`.
 */
import { FashnError } from '../api/errors.js';
import { expectedDurationMs, type FashnClient, type PredictProgress } from '../api/client.js';
import type { FaceToModelInputs, ModelInputs, ModelName, TryonInputs } from '../api/schemas.js';
import { blobToDataUrl, normalizeImage } from '../capture/normalize.js';
import type { TryOnConfig } from './config.js';
import type { FashnProgressStatus, TryOnResult } from './events.js';
import { resultKey, type AvatarMemory, type KeptAvatar } from './memory.js';

export type RunStep = 'avatar' | 'tryon';

export interface StepContext {
  signal: AbortSignal;
  config: TryOnConfig;
  client: Pick<FashnClient, 'predict'>;
  memory: AvatarMemory;
  /** Emits `fashn-before-run`; throws when the page vetoes the call. */
  beforeRun<M extends ModelName>(model: M, inputs: ModelInputs[M], step: RunStep): void;
  progress(
    step: RunStep,
    progress: Omit<PredictProgress, 'status'> & { status: FashnProgressStatus },
  ): void;
  /** Saves to memory, reporting (not throwing) a storage failure. */
  store(save: () => Promise<void>): Promise<void>;
}

async function predict<M extends ModelName>(
  context: StepContext,
  model: M,
  inputs: ModelInputs[M],
  step: RunStep,
) {
  if (context.signal.aborted) throw context.signal.reason;
  context.beforeRun(model, inputs, step);
  return context.client.predict(model, inputs, {
    signal: context.signal,
    onProgress: (progress) => context.progress(step, progress),
  });
}

/** Normalises `photo` (status `preparing`) and makes an avatar of it; the avatar is kept. */
export async function makeAvatar(context: StepContext, photo: Blob): Promise<KeptAvatar> {
  const { config, signal } = context;
  context.progress('avatar', {
    status: 'preparing',
    elapsedMs: 0,
    estimatedMs: expectedDurationMs('face-to-model'),
  });
  const normalized = await normalizeImage(photo, { signal });
  const inputs: FaceToModelInputs = {
    face_image: await blobToDataUrl(normalized.blob),
    aspect_ratio: config.avatarAspectRatio,
    output_format: 'jpeg',
    return_base64: config.returnBase64,
  };
  if (config.avatarPrompt) inputs.prompt = config.avatarPrompt;
  const { id, output } = await predict(context, 'face-to-model', inputs, 'avatar');
  const image = output[0];
  if (!image) throw new FashnError({ code: 'prediction-failed', predictionId: id });
  if (signal.aborted) throw signal.reason;
  const avatar = { image, createdAt: Date.now() };
  await context.store(() => context.memory.setAvatar(avatar));
  return avatar;
}

/** `tryon-v1.6` parameters from the configuration (everything but the two images). */
export function tryonParams(config: TryOnConfig, seed = config.seed) {
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
 * and parameters is given again (`cached: true`) without a prediction.
 */
export async function makeTryon(
  context: StepContext,
  avatar: KeptAvatar,
  garment: string,
  avatarCached: boolean,
  seed?: number,
): Promise<TryOnResult> {
  const params = tryonParams(context.config, seed);
  const key = resultKey(avatar.image, garment, params);
  const common = { garmentImage: garment, avatarCached };
  const kept = await context.memory.getResult(key).catch(() => undefined);
  if (kept) {
    const { images, predictionId, durationMs } = kept;
    return { ...common, images, predictionId, durationMs, cached: true };
  }
  const inputs: TryonInputs = { model_image: avatar.image, garment_image: garment, ...params };
  const { id, output, durationMs } = await predict(context, 'tryon-v1.6', inputs, 'tryon');
  if (!output.length) throw new FashnError({ code: 'prediction-failed', predictionId: id });
  const result = { images: output, predictionId: id, durationMs };
  await context.store(() => context.memory.setResult(key, { ...result, createdAt: Date.now() }));
  return { ...common, ...result, cached: false };
}
