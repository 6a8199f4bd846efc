import { useCallback, useEffect, useRef, useState } from "react";
import type { Diagnostic } from "../../bindings/Diagnostic";
import type { ManifestEdit } from "../../bindings/ManifestEdit";
import { useBackend } from "../../api/context";
import { hasCode, toAppError } from "../../api/errors";
import { useSaveManifest } from "../../api/queries";
import { ErrorBox } from "../../components/ErrorBox";
import { Loading } from "../../components/States";
import { DiskChangedBanner } from "./DiskBanner";
import { JsonEditor, type JsonEditorHandle } from "./JsonEditor";
import { ManifestForm, type FormError, type FormSection } from "./ManifestForm";
import { ProblemsList } from "./ProblemsList";
import { ReleaseCheck } from "./ReleaseCheck";
import { SaveDialog } from "./SaveDialog";
import { useBufferSync } from "./useBufferSync";

function isTextInput(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
}

export function ManifestScreen({
  path,
  files = [path],
  onSelectFile,
  onManagePermissions,
  onPainted,
}: {
  path: string;
  /** The base manifest and its `stripe-app.<name>.json` extensions. */
  files?: string[];
  onSelectFile?: (path: string) => void;
  onManagePermissions: () => void;
  /** Called when the screen first shows the manifest in its editor, or why it can't (start-up timing). */
  onPainted?: () => void;
}) {
  const backend = useBackend();
  const sync = useBufferSync(path);
  const { buffer, snapshot, manifest } = sync;
  const save = useSaveManifest(path);
  const editor = useRef<JsonEditorHandle>(null);
  const [formError, setFormError] = useState<FormError | null>(null);
  const [editing, setEditing] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  const [bannerBusy, setBannerBusy] = useState(false);
  const [bannerError, setBannerError] = useState<unknown>(null);
  const [releaseOpen, setReleaseOpen] = useState(false);

  const runEdit = useCallback(
    async (section: FormSection, edit: ManifestEdit): Promise<boolean> => {
      const current = buffer.get();
      if (!current) return false;
      setEditing(true);
      try {
        const outcome = await backend.previewEdit(path, current.text, edit);
        setFormError(null);
        if (!outcome.unchanged) buffer.edit(outcome.text, { checked: outcome });
        return true;
      } catch (e) {
        setFormError({ section, error: toAppError(e) });
        return false;
      } finally {
        setEditing(false);
      }
    },
    [backend, buffer, path],
  );

  const openSave = useCallback(() => {
    const current = buffer.get();
    if (current?.dirty) {
      save.reset();
      setSaveOpen(true);
    }
  }, [buffer, save]);

  const confirmSave = () => {
    const current = buffer.get();
    if (!current) return;
    save.mutate(
      { expectedRevision: current.base.revision, text: current.text },
      {
        onSuccess: (state) => {
          buffer.saved(state);
          setSaveOpen(false);
        },
        onError: (err) => {
          if (hasCode(err, "manifest-changed-on-disk")) {
            buffer.setConflict(true);
            setSaveOpen(false);
          }
        },
      },
    );
  };

  // Ctrl/Cmd+S saves; Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z (or Ctrl+Y) undo and redo buffer states.
  // Text inputs keep their own undo.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === "s") {
        e.preventDefault();
        openSave();
      } else if (!isTextInput(e.target) && key === "z") {
        e.preventDefault();
        if (e.shiftKey) buffer.redo();
        else buffer.undo();
      } else if (!isTextInput(e.target) && key === "y") {
        e.preventDefault();
        buffer.redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [buffer, openSave]);

  const onChange = useCallback((next: string) => buffer.edit(next, { typing: true }), [buffer]);
  const onUndo = useCallback(() => buffer.undo(), [buffer]);
  const onRedo = useCallback(() => buffer.redo(), [buffer]);
  const selectProblem = useCallback((d: Diagnostic) => editor.current?.selectBytes(d.start, d.end), []);

  const failed = !snapshot && manifest.isError;
  useEffect(() => {
    if (failed) onPainted?.();
  }, [failed, onPainted]);

  const withBanner = (fn: () => Promise<void>) => () => {
    setBannerBusy(true);
    setBannerError(null);
    fn()
      .catch((e: unknown) => setBannerError(toAppError(e)))
      .finally(() => setBannerBusy(false));
  };

  if (!snapshot) {
    if (manifest.isError) return <ErrorBox error={manifest.error} title="Could not load the manifest" onRetry={() => void manifest.refetch()} />;
    return <Loading label="Loading manifest…" />;
  }

  return (
    <div className="manifest-screen">
      <div className="toolbar" role="toolbar" aria-label="Manifest actions">
        <span className={snapshot.dirty ? "dirty-dot" : "clean-dot"} aria-hidden="true" />
        <span className="muted small" data-testid="buffer-state">
          {snapshot.dirty ? "Unsaved changes" : "Saved"}
        </span>
        <span className="spacer" />
        {files.length > 1 && onSelectFile && (
          <label className="file-select small">
            File{" "}
            <select value={path} onChange={(e) => onSelectFile(e.target.value)} data-testid="manifest-file">
              {files.map((f) => (
                <option key={f} value={f}>
                  {f.split(/[\\/]/).pop()}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          className="btn"
          aria-pressed={releaseOpen}
          onClick={() => setReleaseOpen((open) => !open)}
          title="What upload and app review refuse"
          data-testid="release-toggle"
        >
          Release check
        </button>
        <button type="button" className="btn" disabled={!snapshot.canUndo} onClick={onUndo} title="Undo (Ctrl+Z)" data-testid="undo">
          Undo
        </button>
        <button type="button" className="btn" disabled={!snapshot.canRedo} onClick={onRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">
          Redo
        </button>
        <button type="button" className="btn btn-primary" disabled={!snapshot.dirty} onClick={openSave} title="Save (Ctrl+S)" data-testid="save">
          Save…
        </button>
      </div>

      {sync.changedOnDisk && (
        <DiskChangedBanner
          deleted={sync.deletedOnDisk}
          busy={bannerBusy}
          onReload={withBanner(sync.reloadFromDisk)}
          onKeepMine={withBanner(sync.keepMine)}
        />
      )}
      {bannerError !== null && <ErrorBox error={bannerError} title="Could not read the file on disk" compact />}
      {snapshot.notice && (
        <div className="notice" role="status" data-testid="notice">
          {snapshot.notice}
          <button type="button" className="btn-icon" aria-label="Dismiss" onClick={() => buffer.setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {sync.validationError && <ErrorBox error={sync.validationError} title="Validation is unavailable" compact />}

      <div className="manifest-panes">
        <section className="panel form-pane" aria-label="Form">
          <ManifestForm read={snapshot.read} busy={editing} error={formError} onEdit={runEdit} onManagePermissions={onManagePermissions} />
        </section>
        <section className="panel editor-pane" aria-label="JSON">
          <header className="panel-head">
            <h2>{path.split(/[\\/]/).pop()}</h2>
            <span className="muted small mono">{path}</span>
          </header>
          <JsonEditor
            ref={editor}
            path={path}
            value={snapshot.text}
            diagnostics={snapshot.diagnostics}
            diagnosticsFor={snapshot.diagnosticsFor}
            onChange={onChange}
            onUndo={onUndo}
            onRedo={onRedo}
            onSave={openSave}
            onMounted={onPainted}
          />
          <p className="muted small editor-hint">Tab indents. Press Esc, then Tab, to move focus out of the editor.</p>
        </section>
      </div>

      <ProblemsList
        diagnostics={snapshot.diagnostics}
        stale={snapshot.diagnosticsFor !== snapshot.text}
        path={path}
        onSelect={selectProblem}
      />

      {releaseOpen && <ReleaseCheck path={path} text={snapshot.text} onSelect={selectProblem} />}

      {saveOpen && (
        <SaveDialog
          oldText={snapshot.base.text}
          newText={snapshot.text}
          saving={save.isPending}
          error={save.error}
          onConfirm={confirmSave}
          onCancel={() => setSaveOpen(false)}
        />
      )}
    </div>
  );
}
