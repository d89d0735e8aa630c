/** A refused photo, and why: the file pipeline's refusals and the encoder's. */
import { FashnError } from '../api/errors.js';

/** Why a photo was refused (`ImageRejectedError.reason`), for messages and logs. */
export type ImageProblem =
  | 'empty'
  | 'unreadable'
  | 'not-an-image'
  | 'svg'
  | 'unknown-size'
  | 'truncated'
  | 'undecodable'
  | 'unsupported-format'
  | 'encode-failed'
  | 'file-too-large'
  | 'too-many-pixels';

/** A refused photo: a FashnError (`invalid-image` or `image-too-large`, step `capture`) with the reason. */
export class ImageRejectedError extends FashnError {
  readonly reason: ImageProblem;

  /**
   * `message` (for developers and logs; the element shows its own localized
   * words) defaults to "Photo refused: <reason>".
   */
  constructor(reason: ImageProblem, message = `Photo refused: ${reason}`, cause?: unknown) {
    const code =
      reason === 'file-too-large' || reason === 'too-many-pixels'
        ? 'image-too-large'
        : 'invalid-image';
    super({ code, message, step: 'capture', retriable: false, cause });
    this.reason = reason;
  }
}
