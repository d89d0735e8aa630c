/**
 * One run at a time, in the shape of `@lit/task`: each run gets an id and its
 * own AbortController; starting another (or `abort`) aborts the one before,
 * and a run that is no longer the current one changes nothing: its value is
 * dropped and its promise rejects with the reason it was aborted for.
 */
import type { ReactiveControllerHost } from 'lit';

export class RunController {
  #id = 0;
  #current: { id: number; controller: AbortController } | undefined;

  /** A run goes on while the element is away (a resumed prediction, an element moved in the page). */
  constructor(private readonly host: ReactiveControllerHost) {}

  /**
   * Runs `task`, aborting the run before with `supersede`. Resolves with the
   * task's value while this run is current; rejects with the abort reason once
   * it is not.
   */
  async run<T>(task: (signal: AbortSignal) => Promise<T>, supersede: unknown): Promise<T> {
    this.#current?.controller.abort(supersede);
    const current = { id: ++this.#id, controller: new AbortController() };
    this.#current = current;
    const { signal } = current.controller;
    try {
      const value = await task(signal);
      signal.throwIfAborted();
      return value;
    } finally {
      if (this.#current?.id === current.id) this.#current = undefined;
      this.host.requestUpdate();
    }
  }

  /** Aborts the run in flight with `reason`; false when there was none. */
  abort(reason: unknown): boolean {
    const current = this.#current;
    if (!current) return false;
    this.#current = undefined;
    current.controller.abort(reason);
    return true;
  }
}
