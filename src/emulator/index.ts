/**
 * The FASHN emulator: a web-standard `(Request) => Promise<Response>` handler that
 * behaves like FASHN's `/v1` API for `face-to-model` and `tryon-v1.6`, offline.
 *
 * ```ts
 * import { createFashnEmulator } from 'fashn-try-on/emulator';
 * const emulator = createFashnEmulator({ speed: 0.01 }); // 100× faster than FASHN
 * const res = await emulator.handle(new Request('http://emulator/v1/run', {
 *   method: 'POST',
 *   body: JSON.stringify({ model_name: 'face-to-model', inputs: { face_image: dataUrl } }),
 * }));
 * const { id } = await res.json(); // then GET …/status/{id} until `completed`
 * ```
 *
 * - Routes by the path's ending, so it mounts under any prefix: `POST …/run`,
 *   `GET …/status/:id`, `POST|GET …/cancel/:id`, `GET …/outputs/:id/output_N.jpg|png`.
 * - Statuses follow the clock (`now`): `starting` -> `in_queue` -> `processing` ->
 *   `completed` | `failed`, with FASHN's documented durations times `speed`.
 * - Outputs are real images drawn from the inputs: the avatar is a studio portrait
 *   with the face photo as the head; the try-on is the model image with the garment
 *   cut out and fitted to the torso (or legs / whole body per `category`).
 * - Errors have FASHN's two shapes: API-level `{ error, message }` with an HTTP
 *   status, and runtime `{ name, message }` inside a `failed` status.
 * - Tests inject faults with `inject()` or over HTTP: `POST …/__control/faults`
 *   (FaultRule or FaultRule[]), `POST …/__control/reset` (EmulatorOptions overlaid
 *   on the construction options), `GET …/__control/log` (`{ requests, predictions }`).
 *   Control and output endpoints never require the API key; `control: false` hides
 *   the control endpoints.
 *
 * A fault with `network: true` makes `handle()` reject with a TypeError, like
 * fetch's network error, before anything happens; `loseAnswer: true` does the work
 * first (a run creates its prediction) and then rejects the same way; a Node adapter should then destroy the connection.
 * Runs in Node 20+, browsers and Workers-like runtimes (no node:* imports).
 */
import { describeIssue } from '../api/schemas.js';
import { handleControl } from './control.js';
import { FaultBook, faultRules } from './faults.js';
import { createHttpHandler, RequestLog } from './http.js';
import { resolveOptions } from './options.js';
import { PredictionBook } from './predictions.js';
import type { EmulatorOptions, FashnEmulator } from './types.js';

export type {
  EmulatedPrediction,
  EmulatorOptions,
  FashnEmulator,
  FaultKind,
  FaultRule,
  RecordedRequest,
  RequestKind,
} from './types.js';

/**
 * Creates an emulator. See the module comment for the endpoints and behaviour;
 * predictions.ts holds the predictions, http.ts the endpoints, control.ts the
 * control endpoints.
 */
export function createFashnEmulator(initialOptions: EmulatorOptions = {}): FashnEmulator {
  let options = resolveOptions(initialOptions);
  const predictions = new PredictionBook(() => options);
  const faults = new FaultBook();
  const log = new RequestLog();

  const emulator: FashnEmulator = {
    handle: createHttpHandler({
      options: () => options,
      predictions,
      faults,
      log,
      control: (action, request) =>
        handleControl({ predictions, faults, log, reset: emulator.reset }, action, request),
    }),
    inject(rule) {
      const parsed = faultRules.safeParse(rule);
      if (!parsed.success)
        throw new TypeError(`Invalid fault rule: ${describeIssue(parsed.error)}`);
      faults.add(rule);
    },
    reset(next) {
      options = resolveOptions(next ? { ...initialOptions, ...next } : initialOptions);
      predictions.clear();
      log.clear();
      faults.clear();
    },
    get requests() {
      return log.entries;
    },
    get predictions() {
      return predictions.views();
    },
  };
  return emulator;
}
