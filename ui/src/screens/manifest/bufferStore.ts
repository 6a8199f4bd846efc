/**
 * The unsaved buffer of one manifest: its text, the disk document it started from, what core
 * says of a given text (its diagnostics and the fields' view), and an undo/redo history of
 * buffer states. Lives outside React (read with useSyncExternalStore) so it survives switching
 * screens.
 */
import type { Diagnostic } from "../../bindings/Diagnostic";
import type { ManifestDocument } from "../../bindings/ManifestDocument";
import type { ManifestRead } from "../../bindings/ManifestRead";
import type { ManifestState } from "../../bindings/ManifestState";
import type { TextCheck } from "../../bindings/TextCheck";

export interface BufferSnapshot {
  path: string;
  /** The disk document the buffer is based on; saves send its revision. */
  base: ManifestDocument;
  text: string;
  dirty: boolean;
  diagnostics: Diagnostic[];
  /** Core's view of the fields (for the form), or why it has none. */
  read: ManifestRead;
  /** The text the diagnostics and the view were computed for (they lag while typing). */
  diagnosticsFor: string;
  canUndo: boolean;
  canRedo: boolean;
  /** A save was rejected because the file changed on disk. */
  conflict: boolean;
  notice: string | null;
}

/** Typing within this window extends the current undo step instead of adding one. */
const COALESCE_MS = 800;
const MAX_HISTORY = 200;

/**
 * One undo step: its text and, once core has read it, core's view of it (a function of the text
 * alone, so undo and redo show the form at once; diagnostics also depend on the disk and are
 * checked again).
 */
interface Step {
  text: string;
  read: ManifestRead | null;
}

export class ManifestBuffer {
  private snapshot: BufferSnapshot | null = null;
  private history: Step[] = [];
  private index = 0;
  private lastTypedAt = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly path: string) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): BufferSnapshot | null => this.snapshot;

  private set(patch: Partial<BufferSnapshot>): void {
    const prev = this.snapshot;
    if (!prev) return;
    const next = { ...prev, ...patch };
    next.dirty = next.text !== next.base.text;
    next.canUndo = this.index > 0;
    next.canRedo = this.index < this.history.length - 1;
    this.snapshot = next;
    this.listeners.forEach((l) => l());
  }

  /** Start over from a disk state (first load, reload, auto-reload). */
  reset(state: ManifestState, notice: string | null = null): void {
    this.history = [{ text: state.document.text, read: state.read }];
    this.index = 0;
    this.lastTypedAt = 0;
    this.snapshot = {
      path: this.path,
      base: state.document,
      text: state.document.text,
      dirty: false,
      diagnostics: state.diagnostics,
      read: state.read,
      diagnosticsFor: state.document.text,
      canUndo: false,
      canRedo: false,
      conflict: false,
      notice,
    };
    this.set({});
  }

  /** A new buffer text: from the raw editor (`typing`) or from a form edit (with core's check of it). */
  edit(text: string, options: { typing?: boolean; checked?: TextCheck } = {}): void {
    if (!this.snapshot || text === this.snapshot.text) return;
    const now = Date.now();
    const coalesce = options.typing === true && this.lastTypedAt > 0 && now - this.lastTypedAt < COALESCE_MS && this.index > 0;
    this.history = this.history.slice(0, this.index + 1);
    const step = { text, read: options.checked?.read ?? null };
    if (coalesce) this.history[this.index] = step;
    else {
      this.history.push(step);
      if (this.history.length > MAX_HISTORY) this.history.shift();
      this.index = this.history.length - 1;
    }
    this.lastTypedAt = options.typing === true ? now : 0;
    const checked = options.checked;
    this.set(checked ? { text, diagnostics: checked.diagnostics, read: checked.read, diagnosticsFor: text } : { text });
  }

  undo(): void {
    if (this.index === 0) return;
    this.index -= 1;
    this.lastTypedAt = 0;
    this.restore();
  }

  redo(): void {
    if (this.index >= this.history.length - 1) return;
    this.index += 1;
    this.lastTypedAt = 0;
    this.restore();
  }

  private restore(): void {
    const step = this.history[this.index];
    if (step) this.set(step.read ? { text: step.text, read: step.read } : { text: step.text });
  }

  /** Core's check of `text`; dropped when the buffer has moved on. */
  setChecked(text: string, checked: TextCheck): void {
    if (this.snapshot?.text !== text) return;
    const step = this.history[this.index];
    if (step?.text === text) step.read = checked.read;
    this.set({ diagnostics: checked.diagnostics, read: checked.read, diagnosticsFor: text });
  }

  /** Keep the buffer text but base it on a newer disk document ("Keep mine"). */
  rebase(document: ManifestDocument): void {
    this.set({ base: document, conflict: false });
  }

  /** The buffer was written: the disk now holds it. History stays, so a save can be undone in the buffer. */
  saved(state: ManifestState): void {
    if (!this.snapshot) return;
    if (state.document.text !== this.snapshot.text) this.edit(state.document.text, { checked: state });
    const step = this.history[this.index];
    if (step?.text === state.document.text) step.read = state.read;
    this.set({
      base: state.document,
      diagnostics: state.diagnostics,
      read: state.read,
      diagnosticsFor: state.document.text,
      conflict: false,
      notice: "Saved.",
    });
  }

  setConflict(conflict: boolean): void {
    this.set({ conflict });
  }

  setNotice(notice: string | null): void {
    this.set({ notice });
  }
}
