/**
 * `fashn-try-on/react`: everything `fashn-try-on` exports, plus `<fashn-try-on>`
 * in React 19's JSX with typed attributes, events (`onfashn-state-change`, …),
 * `ref` and `className`. Opt-in, so projects without React never see it:
 *
 *   import 'fashn-try-on/react';           // registers the element, with the JSX types
 *   import type {} from 'fashn-try-on/react'; // the JSX types only
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { FashnTryOn } from './element/fashn-try-on.js';
import type { FashnTryOnJsxProps } from './jsx.js';

export * from './index.js';
export type * from './jsx.js';

/**
 * `<fashn-try-on>`'s props in React 19: React's usual HTML props (`ref`, `key`,
 * `className`, `style`, `children`, …) and the element's own. React 19 adds an
 * `on…` function as a listener for the event named after `on`.
 */
export type FashnTryOnReactProps = Omit<
  DetailedHTMLProps<HTMLAttributes<FashnTryOn>, FashnTryOn>,
  keyof FashnTryOnJsxProps
> &
  FashnTryOnJsxProps & {
    /** React 19 passes `class` to custom elements as it is (`className` works too). */
    class?: string;
  };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- how React declares JSX
  namespace JSX {
    interface IntrinsicElements {
      'fashn-try-on': FashnTryOnReactProps;
    }
  }
}
