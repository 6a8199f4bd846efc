import type { Diagnostic } from "../bindings/Diagnostic";
import type { DiffLine } from "../bindings/DiffLine";
import type { EditOutcome } from "../bindings/EditOutcome";
import type { EventAdvice } from "../bindings/EventAdvice";
import type { ManifestEdit } from "../bindings/ManifestEdit";
import type { ManifestState } from "../bindings/ManifestState";
import type { PermissionInfo } from "../bindings/PermissionInfo";
import type { ProjectInfo } from "../bindings/ProjectInfo";

export type SandboxState = "starting" | "running" | "failed";

/** Not generated yet: mirrors the contract of the `sandbox_status` command. */
export interface SandboxStatus {
  state: SandboxState;
  base_url: string | null;
  message: string | null;
}

export interface OpenDialogOptions {
  /** Pick a folder (true) or a manifest file (false). */
  directory: boolean;
}

/**
 * Everything the UI asks of the Rust core. Every method rejects with an `AppError`.
 * Implemented by `TauriBackend` (IPC) and `FakeBackend` (in memory: tests and plain browsers).
 */
export interface Backend {
  launchProject(): Promise<ProjectInfo | null>;
  openProject(path: string): Promise<ProjectInfo>;
  recentProjects(): Promise<string[]>;
  /** Native folder/file picker; resolves null when cancelled. */
  openDialog(options: OpenDialogOptions): Promise<string | null>;

  loadManifest(path: string): Promise<ManifestState>;
  validateManifestText(path: string, text: string): Promise<Diagnostic[]>;
  previewEdit(path: string, text: string, edit: ManifestEdit): Promise<EditOutcome>;
  saveManifest(path: string, expectedRevision: string, text: string): Promise<ManifestState>;
  applyEditAndSave(path: string, expectedRevision: string, edit: ManifestEdit): Promise<ManifestState>;
  diskRevision(path: string): Promise<string | null>;
  diffTexts(oldText: string, newText: string): Promise<DiffLine[]>;

  permissionCatalog(): Promise<PermissionInfo[]>;
  eventTypes(): Promise<string[]>;
  adviseEvents(path: string, text: string, events: string[]): Promise<EventAdvice[]>;

  sandboxStatus(): Promise<SandboxStatus>;

  /** Tells the shell the first screen is mounted (it logs startup time); resolves to ms since start. */
  uiReady(): Promise<number>;
}
