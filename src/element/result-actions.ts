/**
 * Share and Add to cart on the result: the page's `navigator`, `document` and
 * `location` wired to the DOM-free conversion modules. Part of the flow's chunk:
 * as a chunk of its own it cost 0.4 KB more gzip than it took off the click.
 */
import { CartRequest, type CartOutcome, type FashnAddToCartDetail } from '../conversion/cart.js';
import { downloadWithLink } from '../conversion/download.js';
import { lookFilename, shareLook, type FashnShareDetail } from '../conversion/share.js';

/** Shares the look (the image file, else the product's URL, else a download). */
export function share(
  image: string,
  text: string,
  productUrl: string | undefined,
  outputFormat: string,
  root: ShadowRoot,
): Promise<FashnShareDetail> {
  return shareLook(
    {
      image,
      title: document.title || text,
      text,
      url: new URL(productUrl ?? location.href, document.baseURI).href,
      filename: lookFilename(outputFormat),
    },
    {
      share: navigator.share?.bind(navigator),
      canShare: navigator.canShare?.bind(navigator),
      download: (url, filename) => downloadWithLink(url, filename, root),
    },
  );
}

/** Asks the page to add the product; `answer` is how the page answers through the element. */
export function addToCart(
  item: { productId: string | undefined; garmentImage: string; resultImage: string },
  dispatch: (detail: FashnAddToCartDetail) => boolean,
): { outcome: Promise<CartOutcome>; answer: CartRequest['answer'] } {
  const request = new CartRequest(item, dispatch);
  return { outcome: request.outcome, answer: (answer) => request.answer(answer) };
}
