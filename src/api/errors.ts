/**
 * The error model shared by the client, the element and the proxy. `code` is
 * the public error code (README "Errors"); `retriable` says whether running the same step
 * again with the same inputs can succeed.
 */

export const ERROR_CODES = [
  'invalid-config',
  'camera-denied',
  'camera-unavailable',
  'invalid-image',
  'image-too-large',
  'network',
  'timeout',
  'rate-limited',
  'out-of-credits',
  'unauthorized',
  'bad-request',
  'proxy-error',
  'prediction-failed',
  'canceled',
  'storage',
] as const;

export type FashnErrorCode = (typeof ERROR_CODES)[number];

/** The step of the shopper's flow an error belongs to (the `fashn-error` detail). */
export type FashnErrorStep = 'config' | 'capture' | 'avatar' | 'tryon' | 'storage';

/** Runtime error names FASHN reports in a failed status (`error.name`). */
export type FashnRuntimeErrorName =
  | 'ImageLoadError'
  | 'ContentModerationError'
  | 'PoseError'
  | 'PipelineError'
  | 'ThirdPartyError'
  | 'InputValidationError'
  | 'NSFWError'
  | 'PhotoTypeError'
  | (string & {});

export interface FashnErrorInit {
  code: FashnErrorCode;
  message?: string;
  retriable?: boolean;
  step?: FashnErrorStep;
  /** FASHN's name: a runtime `error.name`, or an API-level `error` string. */
  fashnName?: string;
  predictionId?: string;
  httpStatus?: number;
  /** For `invalid-config`: the attribute that was refused. */
  attribute?: string;
  /** For the shop's developer (English, never shown to the shopper): e.g. the rule a refused attribute broke. */
  developerMessage?: string;
  /** Milliseconds FASHN or the proxy asked us to wait (Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
}

/** Codes where the same request may succeed later without any change by the shopper. */
const RETRIABLE_BY_DEFAULT: ReadonlySet<FashnErrorCode> = new Set<FashnErrorCode>([
  'network',
  'timeout',
  'rate-limited',
  'proxy-error',
  'storage',
]);

/** Runtime failures that are worth running again with the same inputs. */
const RETRIABLE_RUNTIME_NAMES: ReadonlySet<string> = new Set(['PipelineError', 'ThirdPartyError']);

export function isRetriableCode(code: FashnErrorCode, fashnName?: string): boolean {
  if (code === 'prediction-failed')
    return fashnName !== undefined && RETRIABLE_RUNTIME_NAMES.has(fashnName);
  return RETRIABLE_BY_DEFAULT.has(code);
}

export class FashnError extends Error {
  override readonly name = 'FashnError';
  readonly code: FashnErrorCode;
  readonly retriable: boolean;
  step?: FashnErrorStep;
  readonly fashnName?: string;
  readonly predictionId?: string;
  readonly httpStatus?: number;
  readonly attribute?: string;
  readonly developerMessage?: string;
  readonly retryAfterMs?: number;

  constructor(init: FashnErrorInit) {
    super(init.message ?? init.code, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.retriable = init.retriable ?? isRetriableCode(init.code, init.fashnName);
    this.step = init.step;
    this.fashnName = init.fashnName;
    this.predictionId = init.predictionId;
    this.httpStatus = init.httpStatus;
    this.attribute = init.attribute;
    this.developerMessage = init.developerMessage;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The plain-object form used as `fashn-error`'s detail (undefined fields dropped). */
  toDetail(): FashnErrorDetail {
    const detail: FashnErrorDetail = {
      code: this.code,
      message: this.message,
      step: this.step ?? 'config',
      retriable: this.retriable,
    };
    if (this.fashnName !== undefined) detail.fashnName = this.fashnName;
    if (this.predictionId !== undefined) detail.predictionId = this.predictionId;
    if (this.httpStatus !== undefined) detail.httpStatus = this.httpStatus;
    if (this.attribute !== undefined) detail.attribute = this.attribute;
    if (this.developerMessage !== undefined) detail.developerMessage = this.developerMessage;
    return detail;
  }
}

export interface FashnErrorDetail {
  code: FashnErrorCode;
  message: string;
  step: FashnErrorStep;
  retriable: boolean;
  fashnName?: string;
  predictionId?: string;
  httpStatus?: number;
  attribute?: string;
  /** For the shop's developer (English; also logged to the console): what to fix. `message` is the shopper's. */
  developerMessage?: string;
}

export function isFashnError(value: unknown): value is FashnError {
  return value instanceof FashnError;
}

/** An AbortSignal's reason, or any other thrown value, as a `canceled` FashnError. */
export function canceledError(predictionId?: string, cause?: unknown): FashnError {
  return new FashnError({ code: 'canceled', message: 'Canceled', predictionId, cause });
}

/**
 * Maps an API-level refusal (HTTP status + FASHN's `{ error, message }`) to our code.
 * Used by the client for answers of FASHN and of the proxy alike.
 */
export function codeForApiError(httpStatus: number, errorName: string | undefined): FashnErrorCode {
  switch (errorName) {
    case 'OutOfCredits':
      return 'out-of-credits';
    case 'RateLimitExceeded':
    case 'ConcurrencyLimitExceeded':
      return 'rate-limited';
    case 'UnauthorizedAccess':
      return 'unauthorized';
    case 'BadRequest':
    case 'PayloadTooLarge':
      return 'bad-request';
    case 'UpstreamTimeout':
      return 'timeout';
    // The proxy sent the run and lost FASHN's answer: a connection problem, not the proxy's.
    case 'RunOutcomeUnknown':
      return 'network';
    case 'ModelNotAllowed':
    case 'OriginNotAllowed':
      return 'proxy-error';
    default:
  }
  if (httpStatus === 401 || httpStatus === 403)
    return httpStatus === 401 ? 'unauthorized' : 'proxy-error';
  if (httpStatus === 429) return 'rate-limited';
  if (httpStatus === 408 || httpStatus === 504) return 'timeout';
  if (httpStatus === 400 || httpStatus === 404 || httpStatus === 413 || httpStatus === 422)
    return 'bad-request';
  return 'proxy-error';
}
