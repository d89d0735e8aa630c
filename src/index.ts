/** `fashn-try-on`: registers `<fashn-try-on>` and exports the class, its types and `define`. */
import { define } from './define.js';
import type { FashnTryOn } from './element/fashn-try-on.js';

define();

export * from './element/index.js';
export { define } from './define.js';

declare global {
  interface HTMLElementTagNameMap {
    'fashn-try-on': FashnTryOn;
  }
}
