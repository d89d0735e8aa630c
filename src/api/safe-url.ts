/**
 * The one rule for URLs that come from a peer (FASHN, the proxy) and end up in
 * the page: an `<img src>`, a download link, an event's detail. Only `https:`,
 * `data:image/…;base64,` and `blob:` pass; `javascript:`, `http:`, `data:text/html`
 * and anything else do not. DOM-free, so the client applies it before any URL
 * reaches the element. A regular expression rather than `new URL`, which forgives
 * leading spaces, backslashes and credentials.
 */
const SAFE_OUTPUT_URL =
  /^(?:https:\/\/[^\s/?#@\\]+(?:[/?#][^\s\\]*)?|blob:[^\s\\]+|data:image\/[\w.+-]+;base64,[\w+/=]*)$/i;

/** Whether `value` may be shown or linked as an output image. */
export const isSafeOutputUrl = (value: string): boolean => SAFE_OUTPUT_URL.test(value);
