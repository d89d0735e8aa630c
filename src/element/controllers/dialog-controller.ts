/**
 * The modal `<dialog>` of the `dialog` layout, after Shoelace's `Modal`:
 * `show()` opens it modally, Tab stays inside while it is open, Escape and
 * `hide()` close it, and focus goes back to the trigger. Closes the element
 * asked for itself are counted out, so `onClose` hears only the browser's (Escape).
 */
import type { ReactiveControllerHost } from 'lit';

export interface DialogControllerOptions {
  /** The dialog, once rendered. */
  dialog(): HTMLDialogElement | null;
  /** Where focus returns on close. */
  trigger(): HTMLElement | null;
  /** The shadow root the dialog lives in (for the focused control). */
  root: ShadowRoot;
  /** The browser closed the dialog (Escape). */
  onClose(): void;
}

/** What Tab stops at: the element's controls, and whatever a page slots in (a shop's own cart control may be any element with a `tabindex`). */
const FOCUSABLE =
  'button:not(:disabled), a[href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

export class DialogController {
  /** Whether the element wants the dialog open. */
  wanted = false;
  #ownCloses = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DialogControllerOptions,
  ) {}

  show(): void {
    this.wanted = true;
    this.host.requestUpdate();
  }

  /** Closes the dialog and gives focus back to the trigger. */
  hide(): void {
    this.wanted = false;
    const dialog = this.options.dialog();
    if (dialog?.open) {
      this.#ownCloses++;
      dialog.close();
    }
    this.options.trigger()?.focus();
    this.host.requestUpdate();
  }

  /** After each render: opens the native dialog when wanted and `visible`. */
  sync(visible: boolean): void {
    const dialog = this.options.dialog();
    if (dialog && this.wanted && visible && !dialog.open) dialog.showModal();
  }

  /** The dialog's `close` event. */
  readonly onClose = (): void => {
    if (this.#ownCloses > 0) {
      this.#ownCloses--;
      return;
    }
    if (!this.wanted) return;
    this.hide();
    this.options.onClose();
  };

  /** Keeps Tab inside the modal: the browser would otherwise move on to its own UI. */
  readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab') return;
    const dialog = this.options.dialog();
    // In order, with the page's own controls where they are slotted in (the `cart` slot).
    const focusable = dialog
      ? [...dialog.querySelectorAll<HTMLElement>(`${FOCUSABLE}, slot`)]
          .filter((node) => node instanceof HTMLSlotElement || !node.parentElement?.closest('slot'))
          .flatMap((node) => (node instanceof HTMLSlotElement ? slotted(node) : [node]))
      : [];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    // A slotted control has the focus in the page, not in the shadow root.
    const active = (this.options.root.activeElement ??
      (event.target instanceof HTMLElement ? event.target : null)) as HTMLElement | null;
    const edge = event.shiftKey ? first : last;
    if (!first || !last || (active !== edge && focusable.includes(active!))) return;
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  };
}

/** The focusable controls a slot shows: what the page put in it, else its fallback (`flatten`). */
function slotted(slot: HTMLSlotElement): HTMLElement[] {
  return slot
    .assignedElements({ flatten: true })
    .flatMap((node) => [
      ...(node.matches(FOCUSABLE) ? [node as HTMLElement] : []),
      ...node.querySelectorAll<HTMLElement>(FOCUSABLE),
    ]);
}
