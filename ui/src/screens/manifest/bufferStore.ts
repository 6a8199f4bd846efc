/**
 * The unsaved buffer of one manifest: its text, the disk document it started from, the
 * diagnostics for a given text, and an undo/redo history of buffer states. Lives outside
 * React (read with useSyncExternalStore) so it survives switching screens.
 */
import type { Diagnostic } from "../../bindings/Diagnostic";
import type { ManifestDocument } from "../../bindings/ManifestDocument";
import type { ManifestState } from "../../bindings/ManifestState";

export interface BufferSnapshot {
  path: string;
  /** The disk document the buffer is based on; saves send its revision. */
  base: ManifestDocument;
  text: string;
  dirty: boolean;
  diagnostics: Diagnostic[];
  /** The text the diagnostics were computed for (they lag while typing). */
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

export class ManifestBuffer {
  private snapshot: BufferSnapshot | null = null;
  private history: string[] = [];
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
    this.history = [state.document.text];
    this.index = 0;
    this.lastTypedAt = 0;
    this.snapshot = {
      path: this.path,
      base: state.document,
      text: state.document.text,
      dirty: false,
      diagnostics: state.diagnostics,
      diagnosticsFor: state.document.text,
      canUndo: false,
      canRedo: false,
      conflict: false,
      notice,
    };
    this.set({});
  }

  /** A new buffer text: from the raw editor (`typing`) or from a form edit (with its diagnostics). */
  edit(text: string, options: { typing?: boolean; diagnostics?: Diagnostic[] } = {}): void {
    if (!this.snapshot || text === this.snapshot.text) return;
    const now = Date.now();
    const coalesce = options.typing === true && this.lastTypedAt > 0 && now - this.lastTypedAt < COALESCE_MS && this.index > 0;
    this.history = this.history.slice(0, this.index + 1);
    if (coalesce) this.history[this.index] = text;
    else {
      this.history.push(text);
      if (this.history.length > MAX_HISTORY) this.history.shift();
      this.index = this.history.length - 1;
    }
    this.lastTypedAt = options.typing === true ? now : 0;
    this.set(options.diagnostics ? { text, diagnostics: options.diagnostics, diagnosticsFor: text } : { text });
  }

  undo(): void {
    if (this.index === 0) return;
    this.index -= 1;
    this.lastTypedAt = 0;
    this.set({ text: this.history[this.index] ?? "" });
  }

  redo(): void {
    if (this.index >= this.history.length - 1) return;
    this.index += 1;
    this.lastTypedAt = 0;
    this.set({ text: this.history[this.index] ?? "" });
  }

  /** Diagnostics for `text`; dropped when the buffer has moved on. */
  setDiagnostics(text: string, diagnostics: Diagnostic[]): void {
    if (this.snapshot?.text !== text) return;
    this.set({ diagnostics, diagnosticsFor: text });
  }

  /** Keep the buffer text but base it on a newer disk document ("Keep mine"). */
  rebase(document: ManifestDocument): void {
    this.set({ base: document, conflict: false });
  }

  /** The buffer was written: the disk now holds it. History stays, so a save can be undone in the buffer. */
  saved(state: ManifestState): void {
    if (!this.snapshot) return;
    if (state.document.text !== this.snapshot.text) this.edit(state.document.text);
    this.set({
      base: state.document,
      diagnostics: state.diagnostics,
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
