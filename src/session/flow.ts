/**
 * The shopper's flow as a table of (state, event) → state. DOM-free. A move
 * that is not in the table cannot happen: `send` then changes nothing. Side
 * effects hang on entering and leaving states, never on who asked for the move.
 */

/** The flow's states, in the order a shopper meets them. */
export const STATES = [
  'idle',
  'consent',
  'capture',
  'review',
  'avatar',
  'tryon',
  'result',
  'error',
] as const;

export type FashnState = (typeof STATES)[number];

/**
 * What can happen: `ask` consent, go to `capture`, a `photo` arrives, a run of
 * the `avatar` or `tryon` step starts, it is `done`, it `fail`s, a vetoed or
 * canceled run goes back to the photo it `hold`s or to the result it `reshow`s,
 * and `close` ends it all.
 */
export type FlowEvent =
  'ask' | 'capture' | 'photo' | 'avatar' | 'tryon' | 'done' | 'fail' | 'hold' | 'reshow' | 'close';

/** Moves every state but `error` shares: a failure, and closing. */
const common = { fail: 'error', close: 'idle' } as const;
/** A new photo or a run may start from any step the shopper sees. */
const restart = { ask: 'consent', capture: 'capture', avatar: 'avatar', tryon: 'tryon' } as const;

/** The flow, whole. `useSelfie()` and resumed predictions start runs from anywhere. */
export const TRANSITIONS: {
  readonly [S in FashnState]: Partial<Record<FlowEvent, FashnState>>;
} = {
  idle: { ...restart, fail: 'error' },
  consent: { ...restart, ...common },
  capture: { ...restart, ...common, photo: 'review' },
  review: { ...restart, ...common },
  avatar: { ...restart, ...common, hold: 'review', reshow: 'result' },
  tryon: { ...restart, ...common, hold: 'review', reshow: 'result', done: 'result' },
  result: { ...restart, ...common },
  error: { ...restart, close: 'idle', hold: 'review' },
};

/** Where `event` leads from `state`, or undefined when the table has no such move. */
export function next(state: FashnState, event: FlowEvent): FashnState | undefined {
  const to = TRANSITIONS[state][event];
  return to === state ? undefined : to;
}

export type StateEffect = (state: FashnState, other: FashnState) => void;

export interface FlowEffects {
  /** Run on entering a state (with the state left). */
  enter?: Partial<Record<FashnState, StateEffect>>;
  /** Run on leaving a state (with the state entered). */
  exit?: Partial<Record<FashnState, StateEffect>>;
  /** Run after every move, after the exit and entry effects. */
  moved?: StateEffect;
}

/** Holds the current state and moves it along the table only. */
export class Flow {
  #state: FashnState = 'idle';

  constructor(private readonly effects: FlowEffects = {}) {}

  get state(): FashnState {
    return this.#state;
  }

  /** Moves by `event`; returns false, changing nothing, when the table has no such move. */
  send(event: FlowEvent): boolean {
    const from = this.#state;
    const to = next(from, event);
    if (!to) return false;
    this.#state = to;
    this.effects.exit?.[from]?.(from, to);
    this.effects.enter?.[to]?.(to, from);
    this.effects.moved?.(to, from);
    return true;
  }
}
