/**
 * `dist/fashn-try-on.js`, the script-tag module: registers `<fashn-try-on>` and
 * exports the class and `define`. Only the shell loads with the page; the flow
 * follows on the shopper's intent. (The npm entry, `index.ts`, exports the rest.)
 */
import { define } from './define.js';

define();

export { FashnTryOn } from './element/fashn-try-on.js';
export { define } from './define.js';
