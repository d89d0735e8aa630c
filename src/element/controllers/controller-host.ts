/**
 * What LitElement gives its controllers, without LitElement: a host that
 * controllers add themselves to, told when it connects and disconnects, whose
 * `requestUpdate()` batches into one render per task and whose
 * `updateComplete` settles once no render is pending.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export abstract class ControllerHost implements ReactiveControllerHost {
  readonly #controllers = new Set<ReactiveController>();
  #connected = false;
  #pending = false;
  #updated: Promise<boolean> = Promise.resolve(true);

  addController(controller: ReactiveController): void {
    this.#controllers.add(controller);
    if (this.#connected) controller.hostConnected?.();
  }

  removeController(controller: ReactiveController): void {
    this.#controllers.delete(controller);
  }

  requestUpdate(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#updated = this.#update();
  }

  get updateComplete(): Promise<boolean> {
    return this.#updated.then(() => (this.#pending ? this.updateComplete : true));
  }

  protected connectControllers(): void {
    this.#connected = true;
    this.#controllers.forEach((controller) => controller.hostConnected?.());
  }

  protected disconnectControllers(): void {
    this.#connected = false;
    this.#controllers.forEach((controller) => controller.hostDisconnected?.());
  }

  /** What must be at hand before a render (awaited once per render). */
  protected abstract beforeUpdate(): Promise<unknown> | undefined;

  /** Renders what the host shows now. */
  protected abstract update(): void;

  async #update(): Promise<boolean> {
    await Promise.resolve();
    await this.beforeUpdate();
    this.#pending = false;
    this.update();
    return true;
  }
}
