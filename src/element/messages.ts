/** The shopper-facing message of an error: short, localized, saying what to do next. */
import { FashnError, type FashnErrorStep } from '../api/errors.js';
import type { Strings } from '../i18n/index.js';

/**
 * The same error (code, names, ids) with its message in the UI language and its
 * `step` set. An `ImageLoadError` in `tryon` is about the garment (the shop's
 * problem), in `avatar` about the shopper's photo. A camera failure where the
 * shop offers no upload says to try the camera again instead of to upload.
 */
export function localizeError(
  error: FashnError,
  t: Strings,
  step: FashnErrorStep,
  canUpload = true,
): FashnError {
  const name = error.fashnName;
  let message = t[`error.${error.code}`];
  if (!canUpload && step === 'capture' && error.code.startsWith('camera-'))
    message = t['error.camera-retry'];
  else if (error.code === 'invalid-config') {
    if (error.attribute === 'garment-image') message = t['error.garment'];
  } else if (
    name === 'PoseError' ||
    name === 'ContentModerationError' ||
    name === 'RunOutcomeUnknown'
  )
    message = t[`error.${name}`];
  else if (name === 'ImageLoadError')
    message = step === 'tryon' ? t['error.garment'] : t['error.photo'];
  return new FashnError({
    code: error.code,
    message,
    retriable: error.retriable,
    step,
    fashnName: error.fashnName,
    predictionId: error.predictionId,
    httpStatus: error.httpStatus,
    attribute: error.attribute,
    developerMessage: error.developerMessage,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}
