/**
 * The shopper's flow as an explicit state machine (README "Flow and states"). DOM-free:
 * it only knows which moves are allowed and tells a listener about each move.
 */
import type { FashnState } from './events.js';

export const STATES: readonly FashnState[] = [
  'idle',
  'consent',
  'capture',
  'review',
  'avatar',
  'tryon',
  'result',
  'error',
];

/**
 * Allowed moves. `idle` and `error` are reachable from everywhere (close, failure);
 * `avatar` from anywhere a photo can arrive (`useSelfie()` may be called at any time).
 */
const NEXT: Record<FashnState, readonly FashnState[]> = {
  idle: ['consent', 'capture', 'avatar', 'tryon'],
  consent: ['capture', 'avatar', 'tryon'],
  capture: ['consent', 'review', 'avatar', 'tryon'],
  review: ['capture', 'avatar', 'tryon'],
  avatar: ['capture', 'review', 'tryon'],
  tryon: ['capture', 'review', 'avatar', 'result'],
  result: ['consent', 'capture', 'avatar', 'tryon'],
  error: ['consent', 'capture', 'review', 'avatar', 'tryon'],
};

/** Whether the flow may move from `from` to `to`. */
export function canMove(from: FashnState, to: FashnState): boolean {
  if (from === to) return false;
  return to === 'idle' || to === 'error' || NEXT[from].includes(to);
}

export type FlowListener = (state: FashnState, previousState: FashnState) => void;

/** Holds the current state; `go()` moves it when the move is allowed. */
export class Flow {
  #state: FashnState = 'idle';

  constructor(private readonly onChange: FlowListener = () => {}) {}

  get state(): FashnState {
    return this.#state;
  }

  /**
   * Moves to `to`. Returns false (and changes nothing) when already there;
   * throws on a move the machine does not allow, which is a programming error.
   */
  go(to: FashnState): boolean {
    const from = this.#state;
    if (from === to) return false;
    if (!canMove(from, to)) throw new Error(`fashn-try-on: no move from ${from} to ${to}`);
    this.#state = to;
    this.onChange(to, from);
    return true;
  }
}
