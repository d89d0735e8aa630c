/**
 * A TCF v2.2-style consent manager stub, as a shop's page has one: `__tcfapi`
 * with `addEventListener`, and the shopper's choices made by "clicking" in its
 * banner (`accept()`, `withdraw()`). Only the parts a page's glue code reads.
 */
export interface TcData {
  eventStatus: 'tcloaded' | 'cmpuishown' | 'useractioncomplete';
  purpose: { consents: Record<number, boolean> };
  listenerId: number;
}

type Listener = (tcData: TcData, success: boolean) => void;

export class TcfStub {
  #listeners: Listener[] = [];
  #consents: Record<number, boolean> = {};

  install(target: Record<string, unknown> = window as never): this {
    target.__tcfapi = (command: string, version: number, callback: Listener) => {
      if (version !== 2) return;
      if (command === 'addEventListener') {
        this.#listeners.push(callback);
        callback(this.#data('tcloaded'), true);
      }
    };
    return this;
  }

  uninstall(target: Record<string, unknown> = window as never): void {
    delete target.__tcfapi;
    this.#listeners = [];
  }

  /** The shopper accepts purpose 1 ("store and/or access information on a device"). */
  accept(): void {
    this.#consents = { 1: true };
    this.#notify();
  }

  withdraw(): void {
    this.#consents = { 1: false };
    this.#notify();
  }

  #data(eventStatus: TcData['eventStatus']): TcData {
    return { eventStatus, purpose: { consents: { ...this.#consents } }, listenerId: 1 };
  }

  #notify(): void {
    for (const listener of this.#listeners) listener(this.#data('useractioncomplete'), true);
  }
}
