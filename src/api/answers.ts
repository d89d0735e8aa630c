/**
 * Reading FASHN's answers in the browser: `POST /run`, `GET /status/{id}` and
 * API-level refusals, checked in plain code. The zod schemas of the same
 * answers (schemas.ts) serve Node; a test holds both to the same verdicts.
 * Why not zod here: zod/mini's core costs at least 3 KB min+gzip for a single
 * `z.string()`, about 5.4 KB for these three shapes, a sixth of the element's
 * 30 KB budget for twenty lines of checks.
 */
import { STATUSES, type PredictionStatus } from './models.js';
import { isSafeOutputUrl } from './safe-url.js';

/** Runtime error object in a failed status: `{ name, message }`. */
export interface RuntimeError {
  name: string;
  message?: string;
}

/** A status answer in one shape: `output` (whatever FASHN called it), `error` as an object. */
export interface StatusResponse {
  id: string;
  status: PredictionStatus;
  output: string[] | null;
  error: RuntimeError | null;
}

/** API-level refusal: HTTP status with `{ error: string, message }`. */
export interface ApiErrorBody {
  error: string;
  message?: string;
}

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Absent, null, or a list of strings. */
const isOutputs = (value: unknown) =>
  value == null || (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/** The id of a `POST /run` success answer (`{ id, error: null }`), or undefined. */
export function readRunId(body: unknown): string | undefined {
  return isObject(body) && typeof body.id === 'string' && body.id ? body.id : undefined;
}

/**
 * The `expected_duration_ms` a run answer may carry: how long the FASHN
 * emulator plays this prediction at its `speed` (FASHN itself sends none).
 * Believed up to 10 minutes, so no peer can stretch the polling further.
 */
export function readExpectedMs(body: unknown): number | undefined {
  const ms = (body as Fields | null)?.expected_duration_ms;
  return typeof ms === 'number' && ms >= 0 && ms <= 600_000 ? ms : undefined;
}

/** An API-level refusal `{ error, message? }`, or undefined when `body` is none. */
export function readRefusal(body: unknown): ApiErrorBody | undefined {
  if (!isObject(body) || typeof body.error !== 'string') return undefined;
  const { error, message } = body;
  if (message === undefined) return { error };
  return typeof message === 'string' ? { error, message } : undefined;
}

/**
 * A `GET /status/{id}` answer in one shape, or what is wrong with it ("field:
 * problem"). The face-to-model page calls the outputs `images`, every other
 * page `output` (`output` wins); an error may be a bare name. Outputs must pass
 * `isSafeOutputUrl` (a browser shows and links them) unless `safeOutputs` is
 * false (the proxy, which relays and never shows them).
 */
export function readStatus(body: unknown, safeOutputs = true): StatusResponse | string {
  if (!isObject(body)) return 'expected an object';
  const { id, status, output, images } = body;
  if (typeof id !== 'string') return 'id: expected a string';
  if (!STATUSES.includes(status as PredictionStatus)) return `status: unknown (${String(status)})`;
  if (!isOutputs(output) || !isOutputs(images)) return 'output: expected a list of strings';
  const error = runtimeError(body.error);
  if (error === undefined) return 'error: expected { name, message } or a string';
  const outputs = output ?? images ?? null;
  if (safeOutputs && outputs?.some((url) => !isSafeOutputUrl(url)))
    return 'output: not an https:, data:image or blob: URL';
  return { id, status: status as PredictionStatus, output: outputs, error };
}

function runtimeError(error: unknown): RuntimeError | null | undefined {
  if (error == null) return null;
  if (typeof error === 'string') return { name: error, message: error };
  if (!isObject(error) || typeof error.name !== 'string') return undefined;
  const { name, message } = error;
  if (message === undefined) return { name };
  return typeof message === 'string' ? { name, message } : undefined;
}

/** The first issue of a failed parse as "field: message", for 400 answers that name the field. */
export function describeIssue(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
