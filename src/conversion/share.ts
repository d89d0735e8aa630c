/**
 * "Share" on the result: the look as an image file through the Web Share API
 * where the browser can share files, else the product's URL, else a download.
 * DOM-free: the browser's `share`/`canShare`, `fetch` and the download are
 * injected (the element passes `navigator`'s and an `<a download>` click).
 */

/** How a share ended: the file went out, the shopper dismissed the sheet, or a fallback was used. */
export type ShareOutcome = 'shared' | 'canceled' | 'fell-back';

/** `fashn-share` detail (besides the product fields every event carries). */
export interface FashnShareDetail {
  outcome: ShareOutcome;
  /** What was offered: the image file, the product's URL, or a download of the image. */
  via: 'file' | 'url' | 'download';
}

export interface ShareLook {
  /** The result image shown (`data:image/…`, `https:` or `blob:` URL). */
  image: string;
  /** The share sheet's title (the product's name: the page title by default). */
  title: string;
  /** A line of text to go with it. */
  text: string;
  /** The product page to share when the image cannot be (`product-url`, else the page). */
  url: string;
  /** File name for the image, e.g. `try-on.jpg`. */
  filename: string;
}

export interface ShareDependencies {
  /** `navigator.share`, absent where the browser has no Web Share API. */
  share?: ((data: ShareData) => Promise<void>) | undefined;
  /** `navigator.canShare`, absent in browsers that predate it. */
  canShare?: ((data: ShareData) => boolean) | undefined;
  /** Reads the image into bytes (the page's `fetch`). */
  fetch?: typeof fetch;
  /** Saves the image (an `<a download>` click in the browser). */
  download(url: string, filename: string): void;
}

/** URLs that may be read or handed on: never `javascript:` or anything a page could sneak in. */
export function isShareableImage(url: string): boolean {
  return /^(https:|blob:|data:image\/)/i.test(url);
}

/**
 * Shares `look`. Never rejects: every failure ends in the next fallback, and the
 * last one (download) always does something the shopper sees.
 */
export async function shareLook(
  look: ShareLook,
  deps: ShareDependencies,
): Promise<FashnShareDetail> {
  const { share, canShare } = deps;
  const attempt = async (
    data: ShareData,
    via: 'file' | 'url',
  ): Promise<FashnShareDetail | undefined> => {
    if (!share || (canShare && !canShare(data))) return undefined;
    try {
      await share(data);
      return { outcome: via === 'file' ? 'shared' : 'fell-back', via };
    } catch (error) {
      // The shopper closed the sheet: that is an answer, not a reason to fall back.
      if ((error as { name?: unknown } | null)?.name === 'AbortError')
        return { outcome: 'canceled', via };
      return undefined;
    }
  };
  const file =
    share && canShare && isShareableImage(look.image) ? await toFile(look, deps.fetch) : undefined;
  const base = { title: look.title, text: look.text };
  const done =
    (file && (await attempt({ ...base, files: [file] }, 'file'))) ||
    (await attempt({ ...base, url: look.url }, 'url'));
  if (done) return done;
  if (isShareableImage(look.image)) deps.download(look.image, look.filename);
  return { outcome: 'fell-back', via: 'download' };
}

/** The image as a `File`, or undefined when it cannot be read (a CDN without CORS, say). */
async function toFile(
  look: ShareLook,
  fetcher: typeof fetch = globalThis.fetch,
): Promise<File | undefined> {
  try {
    const answer = await fetcher(look.image);
    if (!answer.ok) return undefined;
    const blob = await answer.blob();
    if (!blob.type.startsWith('image/')) return undefined;
    return new File([blob], look.filename, { type: blob.type });
  } catch {
    return undefined;
  }
}

/** `try-on.jpg` or `try-on.png`, after the output format. */
export function lookFilename(outputFormat: string): string {
  return `try-on.${outputFormat === 'png' ? 'png' : 'jpg'}`;
}
