/**
 * The one rule for URLs that come from a peer (FASHN, the proxy) and end up in
 * the page: an `<img src>`, a download link, an event's detail. Only `https:`,
 * `data:image/…;base64,` and `blob:` pass; `javascript:`, `http:`, `data:text/html`
 * and anything unparsable do not. DOM-free, so the client applies it before any
 * URL reaches the element.
 */

const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]*$/i;

/** Whether `value` may be shown or linked as an output image. */
export function isSafeOutputUrl(value: string): boolean {
  if (value.length > 5 && value.slice(0, 5).toLowerCase() === 'data:')
    return DATA_IMAGE.test(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'blob:') return true;
  return (
    url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === ''
  );
}

/** What `isSafeOutputUrl` requires, as said in errors. */
export const SAFE_OUTPUT_URL_RULE = 'https:, data:image/…;base64, or blob: URLs only';
