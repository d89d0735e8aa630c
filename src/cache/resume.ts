/**
 * Resume instead of paying twice: a run is recorded with its `Idempotency-Key`
 * before it is sent, and with its id before its first status poll, so after a
 * reload, or on the next product page, an element finds it (younger than 60
 * minutes) and polls the same id, or, when the id never arrived, asks the proxy
 * what became of the key; it never sends the run again. Finished, failed and
 * canceled predictions are cleared.
 */
import type { FashnPredictClient, PredictOptions, PredictResult } from '../api/client.js';
import { isFashnError } from '../api/errors.js';
import { newIdempotencyKey } from '../api/idempotency.js';
import type { ModelInputs, ModelName } from '../api/schemas.js';
import type { PendingPrediction, PendingStore } from './memory.js';

export { RESUME_WINDOW_MS } from './memory.js';

export type { PendingPrediction, PendingStore } from './memory.js';

type PendingMatch = Partial<
  Pick<PendingPrediction, 'model' | 'requestKey' | 'avatarKey' | 'garment'>
>;

/** The newest resumable prediction whose fields equal every field given in `match`. */
export async function findPending(
  store: PendingStore,
  match: PendingMatch,
): Promise<PendingPrediction | undefined> {
  return matchPending(await store.listPending(), match);
}

/** The first of `list` that has every field `match` gives. */
export function matchPending(
  list: readonly PendingPrediction[],
  match: PendingMatch,
): PendingPrediction | undefined {
  const fields = Object.entries(match).filter(([, value]) => value !== undefined);
  return list.find((pending) =>
    fields.every(([name, value]) => pending[name as keyof PendingMatch] === value),
  );
}

export interface ResumableOptions extends PredictOptions {
  /** The avatar key (face-to-model) or result key (try-on) the prediction is recorded under. */
  requestKey: string;
  avatarKey?: string;
  garment?: string;
  /** The prediction to resume; default: the one recorded under `requestKey`, if any. */
  resume?: PendingPrediction;
  /** Clock for `startedAt`, default `Date.now`. */
  now?: () => number;
}

const ignore = () => {};

/**
 * `client.predict` that survives a reload: it resumes the prediction recorded
 * under `requestKey` (or `options.resume`) by polling its id; otherwise it runs
 * one, recording it once FASHN has issued the id (before the first poll). An id
 * FASHN no longer knows (404) is run again rather than failed, unless the inputs
 * cannot be sent again (`rerunnable: false`). The record is
 * cleared when the prediction ends, however it ends. Storage failures never
 * fail the prediction.
 */
export async function predictResumable<M extends ModelName>(
  client: Pick<FashnPredictClient, 'predict'>,
  store: PendingStore,
  model: M,
  inputs: ModelInputs[M],
  options: ResumableOptions,
): Promise<PredictResult & { resumed: boolean }> {
  const { requestKey, avatarKey, garment, resume, now = Date.now, ...predict } = options;
  const pending = resume ?? (await findPending(store, { model, requestKey }).catch(ignore));
  try {
    if (pending?.predictionId !== undefined || pending?.idempotencyKey !== undefined) {
      try {
        const { predictionId: resumeId, idempotencyKey: resumeKey, startedAt } = pending;
        // With an id, poll it; with only a key, ask the proxy for the id (never run again).
        const resumeBy = resumeId !== undefined ? { resumeId } : { resumeKey };
        return {
          ...(await client.predict(model, inputs, { ...predict, ...resumeBy, startedAt })),
          resumed: true,
        };
      } catch (error) {
        if (!isFashnError(error) || error.httpStatus !== 404 || predict.rerunnable === false)
          throw error;
      }
    }
    // Recorded before it is sent: a reload while the answer is on its way finds the key.
    const idempotencyKey = predict.idempotencyKey ?? newIdempotencyKey();
    const record = { model, requestKey, startedAt: now(), avatarKey, garment, idempotencyKey };
    await store.setPending(record).catch(ignore);
    const result = await client.predict(model, inputs, {
      ...predict,
      idempotencyKey,
      onPredictionId: async (predictionId) => {
        await store.setPending({ ...record, predictionId }).catch(ignore);
        await predict.onPredictionId?.(predictionId);
      },
    });
    return { ...result, resumed: false };
  } finally {
    const keys = new Set([requestKey, pending?.requestKey ?? requestKey]);
    await Promise.all([...keys].map((key) => store.clearPending(key).catch(ignore)));
  }
}
