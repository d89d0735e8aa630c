/**
 * On-device photo check, before anything is paid for: exposure, blur and size
 * from the pixels, and faces where a detector is available. DOM-free apart
 * from `check-photo.ts`, which decodes with the browser's own codecs.
 */
export {
  checkBitmap,
  checkPhoto,
  checkPhotoOnBitmap,
  decodeSmall,
  readScaledPixels,
  type CheckPhotoOptions,
  type PhotoHeader,
} from './check-photo.js';
export { nativeFaceFinder, toFraction, type FaceFinder } from './faces.js';
export { faceFindings, imageFindings } from './judge.js';
export { measurePhoto } from './measure.js';
export { DEFAULT_THRESHOLDS, type PhotoThresholds } from './thresholds.js';
export {
  PHOTO_FINDINGS,
  type FaceBox,
  type PhotoCheckResult,
  type PhotoFinding,
  type PhotoMeasures,
  type Pixels,
} from './types.js';
