/** Helpers of the conversion tests: every event the element fires, funnel ones included. */
import type { FashnEventName } from '../../src/element/events.js';
import { FUNNEL_EVENTS } from '../../src/conversion/funnel.js';
import type { Recorded } from './element-helpers.js';

export const ALL_EVENTS: FashnEventName[] = [
  'fashn-state-change',
  'fashn-before-run',
  'fashn-progress',
  'fashn-avatar',
  'fashn-result',
  'fashn-error',
  ...(Object.keys(FUNNEL_EVENTS) as FashnEventName[]),
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
    .filter((e) => e.type in FUNNEL_EVENTS)
    .map((e) => {
      const d = e.detail as Record<string, unknown>;
      const tag = d.source ?? d.decision ?? d.outcome ?? '';
      return tag ? `${e.type}:${String(tag)}` : e.type;
    });
}
