/**
 * `fashn-try-on/preact`: everything `fashn-try-on` exports, plus `<fashn-try-on>`
 * in Preact's JSX with typed attributes, events (`onfashn-state-change`, …) and
 * `ref`. Opt-in, so projects without Preact never see it:
 *
 *   import 'fashn-try-on/preact';           // registers the element, with the JSX types
 *   import type {} from 'fashn-try-on/preact'; // the JSX types only
 */
import type { FashnTryOn } from './element/fashn-try-on.js';
import type { FashnTryOnJsxProps } from './jsx.js';

export * from './index.js';
export type * from './jsx.js';

// This package does not depend on Preact, so 'preact' and its JSX namespace
// resolve only in the projects that use this entry; the two directives below
// stand for that here and are not part of the emitted declarations.
// @ts-expect-error -- 'preact' is the using project's dependency
declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- how Preact declares JSX
  namespace JSX {
    interface IntrinsicElements {
      /** Preact's usual HTML props (`ref`, `class`, `style`, `children`, …) and the element's own. */
      // @ts-expect-error -- Preact's JSX.HTMLAttributes, found where 'preact' resolves
      'fashn-try-on': Omit<HTMLAttributes<FashnTryOn>, keyof FashnTryOnJsxProps> &
        FashnTryOnJsxProps;
    }
  }
}
