/**
 * Share and Add to cart on the result, in their own chunk: the flow imports it
 * only when the shopper presses one of them, so pages pay nothing for them
 * before that.
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
