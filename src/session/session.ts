/**
 * The try-on session, DOM-free: a photo becomes an avatar, the avatar wears the
 * garment, the result is kept; with memory, resume and the shared avatar run.
 * It takes everything from outside through `SessionOptions` (the memory, the
 * client, the photo preparation, the page's veto and the reports), keeps no
 * page-level state of its own, and answers each run with an `Outcome`.
 * Abort a run's signal and it rejects with the signal's reason instead.
 */
import { FashnPredictClient } from '../api/client.js';
import { FashnError, canceledError, isFashnError, type FashnErrorStep } from '../api/errors.js';
import type { ModelInputs, ModelName } from '../api/schemas.js';
import type { KeptAvatar, TryOnMemory } from '../cache/memory.js';
import { matchPending, type PendingPrediction } from '../cache/resume.js';
import type { TryOnConfig } from './config.js';
import type {
  FashnAvatarDetail,
  FashnBeforeRunDetail,
  FashnProgressDetail,
  TryOnResult,
} from './details.js';
import { ProgressBoard, makeAvatar, makeTryon, type RunStep, type StepContext } from './steps.js';

export type { RunStep } from './steps.js';

/** How a run ended (a run whose signal was aborted rejects instead). */
export type Outcome =
  | { kind: 'result'; result: TryOnResult }
  /** A resumed avatar run stopped at the avatar: nobody asked for a try-on on this page. */
  | { kind: 'avatar'; avatar: KeptAvatar }
  /** The page vetoed a paid call (`fashn-before-run`). */
  | { kind: 'vetoed'; step: RunStep }
  | { kind: 'failed'; error: FashnError; step: FashnErrorStep };

/** What the session tells its host as it goes. */
export interface SessionEvents {
  /** Before each paid call; false vetoes it. */
  beforeRun: (detail: FashnBeforeRunDetail) => boolean;
  /** The run is now waiting on this step. */
  step: (step: RunStep) => void;
  progress: (detail: FashnProgressDetail) => void;
  avatar: (detail: FashnAvatarDetail) => void;
  /** The one channel for failures that do not stop the flow (storage). */
  report: (error: FashnError) => void;
}

export interface SessionOptions {
  events: SessionEvents;
  /** The memory to use, asked for at each use (the host's `memory` may change). */
  memory: () => Promise<TryOnMemory>;
  /** Turns the shopper's photo into the JPEG sent as `face_image`. */
  prepare: (photo: Blob, signal: AbortSignal) => Promise<Blob>;
  /** The client for a configuration; default a `FashnPredictClient` on `config.proxyUrl` with long polls. */
  client?: (config: TryOnConfig) => Pick<FashnPredictClient, 'predict'>;
  /** Progress of shared avatar runs; sessions of one page pass the same board. */
  board?: ProgressBoard;
}

export interface RunRequest {
  /** `avatar`: from the photo; `tryon`: on the current avatar. */
  from: RunStep;
  config: TryOnConfig;
  signal: AbortSignal;
  /** Another seed ("Try another look"); default `config.seed`. */
  seed?: number;
  /** A recorded prediction to poll again instead of paying for a new one. */
  resume?: PendingPrediction;
  /** After a resumed avatar: whether to go on to the try-on (someone opened the element). */
  goOn?: () => boolean;
}

/** Raised inside a run when the page vetoed a call. */
class Vetoed extends Error {}

export class TryOnSession {
  /** The current avatar. */
  avatar: KeptAvatar | undefined;
  /** Whether the current avatar came from memory rather than a new prediction. */
  avatarCached = false;
  /** The shopper's photo, while held. */
  photo: Blob | undefined;
  readonly #options: SessionOptions;
  readonly #board: ProgressBoard;
  /** The read of the kept avatar under way, if one is. */
  #reading: Promise<void> | undefined;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.#board = options.board ?? new ProgressBoard();
  }

  /** Runs from `request.from` to the result (or the avatar, for a resumed avatar run). */
  async run(request: RunRequest): Promise<Outcome> {
    const { config, signal } = request;
    let { resume } = request;
    const events = this.#options.events;
    let step: FashnErrorStep = request.from;
    const memoryReady = this.#options.memory();
    try {
      const garment = config.garmentImage;
      if (!garment && !resume) {
        step = 'config';
        throw new FashnError({
          code: 'invalid-config',
          attribute: 'garment-image',
          retriable: false,
          developerMessage: 'garment-image: missing',
        });
      }
      let avatar = this.avatar;
      if (request.from === 'avatar' || !avatar) {
        step = 'avatar';
        if (!this.photo && !resume)
          throw new FashnError({ code: 'invalid-image', message: 'No photo' });
        events.step('avatar');
        const made = await makeAvatar(
          this.#context(request, await memoryReady),
          this.photo,
          resume,
        );
        signal.throwIfAborted();
        this.avatar = avatar = made.avatar;
        this.avatarCached = made.cached;
        events.avatar({ image: avatar.image, cached: made.cached, createdAt: avatar.createdAt });
        if (resume && !(garment && request.goOn?.())) return { kind: 'avatar', avatar };
        resume = undefined;
      }
      step = 'tryon';
      events.step('tryon');
      const context = this.#context(request, await memoryReady);
      const result = await makeTryon(
        context,
        avatar,
        garment!,
        this.avatarCached,
        request.seed,
        resume,
      );
      signal.throwIfAborted();
      return { kind: 'result', result };
    } catch (cause) {
      if (signal.aborted) throw signal.reason;
      if (cause instanceof Vetoed)
        return { kind: 'vetoed', step: step === 'avatar' ? 'avatar' : 'tryon' };
      return { kind: 'failed', error: toFashnError(cause), step };
    } finally {
      this.#checkStorage(await memoryReady);
    }
  }

  /**
   * Reads the current avatar again (another element or tab may have made or
   * forgotten one); a newly found one is told as an avatar `cached: true`.
   */
  loadKept(): Promise<void> {
    // Calls while a read is on its way share it (the shell's connect and a tryOn(), say):
    // it started a moment ago, as fresh as a second read would be.
    return (this.#reading ??= this.#readKept().finally(() => (this.#reading = undefined)));
  }

  async #readKept(): Promise<void> {
    const memory = await this.#options.memory();
    const kept = await memory.getAvatar();
    this.#checkStorage(memory);
    if (kept ? kept.key === this.avatar?.key : !this.avatar?.blob) return;
    this.avatar = kept;
    this.avatarCached = true;
    if (kept)
      this.#options.events.avatar({ image: kept.image, cached: true, createdAt: kept.createdAt });
  }

  /**
   * A prediction still in flight (after a reload, or from another page) to poll
   * again rather than pay twice: `garment`'s try-on on the current avatar, else an avatar.
   */
  async pending(garment: string | undefined): Promise<PendingPrediction | undefined> {
    // One read of the pending records, matched twice.
    const list = await (await this.#options.memory()).listPending();
    const avatarKey = this.avatar?.key;
    return (
      (garment && avatarKey && matchPending(list, { model: 'tryon-v1.6', garment, avatarKey })) ||
      matchPending(list, { model: 'face-to-model' })
    );
  }

  /** Forgets the avatar, the photo and everything kept. Rejects when the memory cannot forget. */
  async forget(): Promise<void> {
    this.#reading = undefined;
    this.avatar = undefined;
    this.photo = undefined;
    await (await this.#options.memory()).forgetAll();
  }

  #context(request: RunRequest, memory: TryOnMemory): StepContext {
    const { config, signal } = request;
    const { events, prepare } = this.#options;
    return {
      signal,
      config,
      memory,
      board: this.#board,
      prepare,
      client: (this.#options.client ?? defaultClient)(config),
      beforeRun: <M extends ModelName>(model: M, inputs: ModelInputs[M]) => {
        if (!events.beforeRun({ model, inputs } as FashnBeforeRunDetail)) throw new Vetoed();
      },
      progress: (step, progress) => {
        if (signal.aborted) return;
        const detail: FashnProgressDetail = {
          step,
          status: progress.status,
          elapsedMs: progress.elapsedMs,
          estimatedMs: progress.estimatedMs,
        };
        if (progress.predictionId) detail.predictionId = progress.predictionId;
        events.progress(detail);
      },
      storageFailed: (cause) =>
        events.report(new FashnError({ code: 'storage', step: 'storage', cause })),
    };
  }

  #checkStorage(memory: TryOnMemory): void {
    const failure = memory.takeStorageError();
    if (failure) this.#options.events.report(failure);
  }
}

/** The proxy client: held status requests where the proxy supports `?wait=`, polling otherwise. */
function defaultClient(config: TryOnConfig): FashnPredictClient {
  return new FashnPredictClient({ baseUrl: config.proxyUrl, longPoll: true });
}

/** Any thrown value as a FashnError (an abort becomes `canceled`). */
export function toFashnError(cause: unknown): FashnError {
  if (isFashnError(cause)) return cause;
  const name = (cause as { name?: string } | null)?.name;
  if (name === 'AbortError') return canceledError(undefined, cause);
  return new FashnError({ code: name === 'TypeError' ? 'network' : 'proxy-error', cause });
}
