/**
 * `<fashn-try-on>` as JSX props, framework-neutral: the attributes (kebab-case,
 * as written in HTML), the event listener props (`on` + event name, the form
 * React 19 and Preact bind to custom elements) and the properties a page sets
 * as properties. Types only; `jsx-react.ts` and `jsx-preact.ts` put them into
 * their framework's JSX namespace.
 */
import type { ATTRIBUTES, AttributeProperty } from './element/attributes.js';
import type { TryOnConfig } from './element/config.js';
import type { FashnEventDetails, FashnEventName } from './element/events.js';
import type { Strings } from './i18n/index.js';

/**
 * Yes/no attributes take the strings `"true"` and `"false"`. Frameworks remove
 * an attribute set to `false` (leaving the default, which is `true` for all of
 * them), so a boolean `false` would silently mean "true".
 */
type YesNo = 'true' | 'false';

/** What an attribute takes in JSX, from the type of its parsed value. */
type JsxValue<T> = T extends boolean
  ? YesNo
  : T extends number
    ? T | `${T}`
    : T extends { camera: boolean }
      ? 'camera upload' | 'upload camera' | 'camera' | 'upload'
      : T;

/** The element's attributes (kebab-case, as written in HTML), as JSX props, derived from its attribute table. */
export type FashnTryOnAttributes = {
  [K in AttributeProperty as (typeof ATTRIBUTES)[K]]?: JsxValue<NonNullable<TryOnConfig[K]>>;
};

/** Listener props: `onfashn-result={(event) => event.detail.images}` and so on. */
export type FashnTryOnEventProps = {
  [N in FashnEventName as `on${N}`]?: (event: CustomEvent<FashnEventDetails[N]>) => void;
};

/**
 * Properties without an attribute. Frameworks set them as properties only when
 * the element is registered before they render, so import `fashn-try-on` first.
 */
export interface FashnTryOnPropertyProps {
  /** Partial overrides of any UI text. */
  strings?: Partial<Strings>;
  /** Merged into every proxy request (headers, `credentials`). */
  requestInit?: RequestInit;
  /** Replacement fetch for proxy calls. */
  fetch?: typeof fetch;
}

/** Everything `<fashn-try-on>` adds to a framework's usual HTML props. */
export type FashnTryOnJsxProps = FashnTryOnAttributes &
  FashnTryOnEventProps &
  FashnTryOnPropertyProps;
