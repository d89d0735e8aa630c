/**
 * A JPEG decoded at a reduced scale n/8 by WebCodecs' `ImageDecoder`: the decoder skips
 * most of the work in the DCT, a fraction of a full decode's cost. The file pipeline
 * (`capture/normalize.ts`) decodes the same way with its own few lines: it and the photo
 * check are separate chunks, and one shared module would be a third chunk to fetch.
 */

/**
 * `data` (a JPEG of `width`×`height`) decoded at `eighths`/8 of its size. The frame is the
 * caller's to close; rejects where the decoder cannot (the caller's other path follows).
 */
export async function decodeJpegAtEighths(
  data: ImageDecoderInit['data'],
  width: number,
  height: number,
  eighths: number,
): Promise<VideoFrame> {
  const decoder = new ImageDecoder({
    data,
    type: 'image/jpeg',
    desiredWidth: Math.ceil((width * eighths) / 8),
    desiredHeight: Math.ceil((height * eighths) / 8),
  });
  try {
    return (await decoder.decode()).image;
  } finally {
    decoder.close();
  }
}
