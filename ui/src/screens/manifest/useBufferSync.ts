/**
 * Keeps a buffer in step with the disk: first load, adopting writes made elsewhere in the app,
 * auto-reload of a clean buffer when the file changes outside, and the "changed on disk"
 * state of a dirty one. Also has core check the buffer (diagnostics and the fields' view), debounced.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ManifestState } from "../../bindings/ManifestState";
import { useBackend } from "../../api/context";
import { toAppError, type AppError } from "../../api/errors";
import { keys, useDiskRevision, useManifest } from "../../api/queries";
import type { ManifestBuffer } from "./bufferStore";
import { useBuffer } from "./bufferContext";

export const VALIDATE_DEBOUNCE_MS = 250;

export function useBufferSync(path: string) {
  const backend = useBackend();
  const client = useQueryClient();
  const manifest = useManifest(path);
  const { buffer, snapshot } = useBuffer(path);
  const disk = useDiskRevision(path, snapshot !== null);
  const reloading = useRef(false);
  const [validationError, setValidationError] = useState<AppError | null>(null);

  // Adopt the loaded (or re-fetched after a write elsewhere) disk state while the buffer is clean.
  const loaded = manifest.data;
  useEffect(() => {
    if (!loaded) return;
    const current = buffer.get();
    if (!current) buffer.reset(loaded);
    else if (loaded.document.revision !== current.base.revision && !current.dirty) buffer.reset(loaded);
  }, [buffer, loaded]);

  const fetchDisk = useCallback(async (): Promise<ManifestState> => {
    const state = await backend.loadManifest(path);
    client.setQueryData(keys.manifest(path), state);
    client.setQueryData(keys.diskRevision(path), state.document.revision);
    return state;
  }, [backend, client, path]);

  // The file changed outside the app: reload a clean buffer at once.
  const diskRevision = disk.data;
  useEffect(() => {
    const current = buffer.get();
    if (!current || diskRevision === undefined || diskRevision === null) return;
    if (diskRevision === current.base.revision || current.dirty || reloading.current) return;
    reloading.current = true;
    fetchDisk()
      .then((state) => reloadInto(buffer, state, "The file changed on disk and was reloaded."))
      .catch(() => undefined)
      .finally(() => {
        reloading.current = false;
      });
  }, [buffer, diskRevision, fetchDisk]);

  // Validate the unsaved buffer, debounced.
  const text = snapshot?.text;
  const stale = snapshot !== null && snapshot.diagnosticsFor !== snapshot.text;
  useEffect(() => {
    if (text === undefined || !stale) return;
    const timer = setTimeout(() => {
      backend
        .validateManifestText(path, text)
        .then((checked) => {
          buffer.setChecked(text, checked);
          setValidationError(null);
        })
        .catch((e: unknown) => setValidationError(toAppError(e)));
    }, VALIDATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [backend, buffer, path, text, stale]);

  const changedOnDisk =
    snapshot !== null &&
    ((snapshot.dirty && diskRevision !== undefined && diskRevision !== snapshot.base.revision) || snapshot.conflict);

  const reloadFromDisk = useCallback(async () => {
    const state = await fetchDisk();
    buffer.reset(state, "Reloaded from disk.");
  }, [buffer, fetchDisk]);

  const keepMine = useCallback(async () => {
    const state = await fetchDisk();
    buffer.rebase(state.document);
    buffer.setNotice("Kept your changes: saving will overwrite the file on disk.");
  }, [buffer, fetchDisk]);

  return {
    manifest,
    buffer,
    snapshot,
    diskRevision,
    changedOnDisk,
    deletedOnDisk: diskRevision === null,
    validationError,
    reloadFromDisk,
    keepMine,
  };
}

function reloadInto(buffer: ManifestBuffer, state: ManifestState, notice: string): void {
  const current = buffer.get();
  if (current && current.dirty) return;
  buffer.reset(state, notice);
}
