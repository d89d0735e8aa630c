/**
 * `<fashn-try-on>` as JSX props, framework-neutral: the attributes (kebab-case,
 * as written in HTML), the event listener props (`on` + event name, the form
 * React 19 and Preact bind to custom elements) and the properties a page sets
 * as properties. Types only; `jsx-react.ts` and `jsx-preact.ts` put them into
 * their framework's JSX namespace.
 */
import type { TryOnConfig } from './element/config.js';
import type { FashnEventDetails, FashnEventName } from './element/events.js';
import type { Strings } from './i18n/index.js';

/** A whole number as a number or as its digits. */
type Whole = number | `${number}`;

/**
 * Yes/no attributes take the strings `"true"` and `"false"`. Frameworks remove
 * an attribute set to `false` (leaving the default, which is `true` for all of
 * them), so a boolean `false` would silently mean "true".
 */
type YesNo = 'true' | 'false';

/** The element's attributes, as JSX props. Values as SPEC's attribute table. */
export interface FashnTryOnAttributes {
  /** http(s) URL or `data:image/...;base64,` URL of the garment (required for a try-on). */
  'garment-image'?: string;
  /** Base URL of the proxy, default `/api/fashn`. */
  'proxy-url'?: string;
  category?: TryOnConfig['category'];
  mode?: TryOnConfig['mode'];
  'garment-photo-type'?: TryOnConfig['garmentPhotoType'];
  /** 1 to 4. */
  'num-samples'?: 1 | 2 | 3 | 4 | '1' | '2' | '3' | '4';
  /** 0 to 2^32-1, default 42. */
  seed?: Whole;
  'output-format'?: TryOnConfig['outputFormat'];
  'moderation-level'?: TryOnConfig['moderationLevel'];
  'segmentation-free'?: YesNo;
  /** Ask FASHN for base64 outputs, so no output is stored on its CDN (default `"true"`). */
  'return-base64'?: YesNo;
  /** Body-shape guidance for `face-to-model`, e.g. "athletic build". */
  'avatar-prompt'?: string;
  'avatar-aspect-ratio'?: TryOnConfig['avatarAspectRatio'];
  layout?: TryOnConfig['layout'];
  /** Capture paths offered, default `"camera upload"`. */
  capture?: 'camera upload' | 'upload camera' | 'camera' | 'upload';
  /** Keep the avatar in this browser for later visits (default `"true"`). */
  remember?: YesNo;
  /** Days a kept avatar lives, default 30. */
  'cache-days'?: Whole;
  /** Link shown on the consent step. */
  'privacy-url'?: string;
  /** The shop's product id, carried in every event's detail. */
  'product-id'?: string;
  /** The product page's http(s) URL, carried in every event's detail and shared. */
  'product-url'?: string;
  /** `"true"`: an "Add to cart" action on the result (default `"false"`). */
  cart?: YesNo;
  /** Who asks for consent: the element's own step (default) or the page's consent manager. */
  consent?: TryOnConfig['consent'];
}

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
