/** Helpers of the conversion tests: every event the element fires, funnel ones included. */
import { EVENT_NAMES, type FashnEventName } from '../../src/element/events.js';
import type { Recorded } from './element-helpers.js';

export const ALL_EVENTS: FashnEventName[] = EVENT_NAMES;

/** The funnel's events (declared after the flow's own six). */
const FUNNEL_EVENTS: readonly string[] = [
  'fashn-open',
  'fashn-consent',
  'fashn-capture',
  'fashn-download',
  'fashn-share',
  'fashn-add-to-cart',
];

/** Records every fashn-* event from `target`, in order. */
export function recordAll(target: EventTarget): Recorded[] {
  const seen: Recorded[] = [];
  for (const type of ALL_EVENTS)
    target.addEventListener(type, (event) =>
      seen.push({ type, detail: (event as CustomEvent).detail }),
    );
  return seen;
}

/** The funnel's events only, as `type:detail-field` strings, for sequence checks. */
export function funnel(seen: Recorded[]): string[] {
  return seen
    .filter((e) => FUNNEL_EVENTS.includes(e.type))
    .map((e) => {
      const d = e.detail as Record<string, unknown>;
      const tag = d.source ?? d.decision ?? d.outcome ?? '';
      return tag ? `${e.type}:${String(tag)}` : e.type;
    });
}
