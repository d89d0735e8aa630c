/**
 * Type tests for `fashn-try-on/react` (`src/jsx-react.ts`): the props TSX checks
 * `<fashn-try-on …>` against are `React.JSX.IntrinsicElements['fashn-try-on']`.
 * Each `@ts-expect-error` line must fail to compile; the rest must compile.
 * (TSX would need `jsx` in the root tsconfig, so the props are checked as
 * object literals: the same assignability and excess-property rules.)
 */
import { createRef, type JSX } from 'react';
import type { FashnTryOn } from '../../src/jsx-react.js';

type Props = JSX.IntrinsicElements['fashn-try-on'];
const props = (value: Props) => value;

const ref = createRef<FashnTryOn>();

// Every attribute with a valid value, React's own props, the property-only props and every event.
props({
  ref,
  key: 'try-on',
  className: 'try-on',
  class: 'try-on',
  id: 'try-on',
  style: { display: 'block' },
  lang: 'de',
  children: 'Try',
  'garment-image': 'https://shop.example.com/tee.jpg',
  'proxy-url': '/api/fashn',
  category: 'one-pieces',
  mode: 'quality',
  'garment-photo-type': 'flat-lay',
  'num-samples': 4,
  seed: '7',
  'output-format': 'png',
  'moderation-level': 'conservative',
  'segmentation-free': 'false',
  'return-base64': 'true',
  'avatar-prompt': 'athletic build',
  'avatar-aspect-ratio': '9:16',
  layout: 'inline',
  capture: 'upload',
  remember: 'false',
  'cache-days': 7,
  'privacy-url': 'https://shop.example.com/privacy',
  strings: { tryOn: 'Anprobieren' },
  requestInit: { headers: { 'X-CSRF-Token': 't' }, credentials: 'include' },
  fetch: globalThis.fetch,
  onClick: (event) => event.currentTarget.start(),
  'onfashn-state-change': (event) => event.detail.state.toUpperCase(),
  'onfashn-before-run': (event) =>
    event.detail.model === 'tryon-v1.6' ? event.preventDefault() : 0,
  'onfashn-progress': (event) => event.detail.estimatedMs - event.detail.elapsedMs,
  'onfashn-avatar': (event) => event.detail.cached,
  'onfashn-result': (event) => event.detail.images.map((image) => image.length),
  'onfashn-error': (event) => event.detail.attribute ?? event.detail.code,
});

// The narrowed `fashn-before-run` detail: the inputs of the model named.
props({
  'onfashn-before-run': (event) => {
    if (event.detail.model === 'face-to-model') event.detail.inputs.face_image.trim();
    else event.detail.inputs.garment_image.trim();
  },
});

// Wrong attribute values.
// @ts-expect-error -- not a mode
props({ mode: 'fast' });
// @ts-expect-error -- not a category
props({ category: 'hats' });
// @ts-expect-error -- 1 to 4 samples
props({ 'num-samples': 5 });
// @ts-expect-error -- a boolean false would remove the attribute (meaning "true"): strings only
props({ remember: false });
// @ts-expect-error -- not a layout
props({ layout: 'popup' });
// @ts-expect-error -- capture paths are camera and upload
props({ capture: 'gallery' });
// @ts-expect-error -- the garment is a string URL
props({ 'garment-image': new URL('https://shop.example.com/tee.jpg') });
// @ts-expect-error -- no such UI text
props({ strings: { buyNow: 'Buy' } });

// Wrong uses of event details.
// @ts-expect-error -- a result has no state
props({ 'onfashn-result': (event) => event.detail.state });
// @ts-expect-error -- an error's code is not a number
props({ 'onfashn-error': (event) => event.detail.code.toFixed() });
// @ts-expect-error -- a handler for another event's detail
props({ 'onfashn-progress': (event: CustomEvent<{ images: string[] }>) => event.detail.images });
// @ts-expect-error -- progress steps are avatar and tryon
props({ 'onfashn-progress': (event) => event.detail.step === 'result' });

// Wrong refs.
// @ts-expect-error -- the ref is to a <fashn-try-on>, not an <input>
props({ ref: createRef<HTMLInputElement>() });
