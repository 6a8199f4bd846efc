import { invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";
import type { Diagnostic } from "../bindings/Diagnostic";
import type { DiffLine } from "../bindings/DiffLine";
import type { EditOutcome } from "../bindings/EditOutcome";
import type { EventAdvice } from "../bindings/EventAdvice";
import type { ManifestEdit } from "../bindings/ManifestEdit";
import type { ManifestState } from "../bindings/ManifestState";
import type { PermissionInfo } from "../bindings/PermissionInfo";
import type { ProjectInfo } from "../bindings/ProjectInfo";
import type { Backend, OpenDialogOptions, SandboxStatus } from "./backend";
import { toAppError } from "./errors";

/** Invoke a command; a rejection (an `ErrorPayload` from Rust) becomes an `AppError`. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toAppError(raw);
  }
}

export class TauriBackend implements Backend {
  launchProject() {
    return call<ProjectInfo | null>("launch_project");
  }
  openProject(path: string) {
    return call<ProjectInfo>("open_project", { path });
  }
  recentProjects() {
    return call<string[]>("recent_projects");
  }
  async openDialog(options: OpenDialogOptions): Promise<string | null> {
    try {
      const picked = await open(
        options.directory
          ? { directory: true, multiple: false, title: "Open a Stripe App folder" }
          : {
              directory: false,
              multiple: false,
              title: "Open a Stripe App manifest",
              filters: [{ name: "Stripe App manifest", extensions: ["json"] }],
            },
      );
      return typeof picked === "string" ? picked : null;
    } catch (raw) {
      throw toAppError(raw);
    }
  }
  loadManifest(path: string) {
    return call<ManifestState>("load_manifest", { path });
  }
  validateManifestText(path: string, text: string) {
    return call<Diagnostic[]>("validate_manifest_text", { path, text });
  }
  previewEdit(path: string, text: string, edit: ManifestEdit) {
    return call<EditOutcome>("preview_edit", { path, text, edit });
  }
  saveManifest(path: string, expectedRevision: string, text: string) {
    return call<ManifestState>("save_manifest", { path, expectedRevision, text });
  }
  applyEditAndSave(path: string, expectedRevision: string, edit: ManifestEdit) {
    return call<ManifestState>("apply_edit_and_save", { path, expectedRevision, edit });
  }
  diskRevision(path: string) {
    return call<string | null>("disk_revision", { path });
  }
  diffTexts(oldText: string, newText: string) {
    return call<DiffLine[]>("diff_texts", { old: oldText, new: newText });
  }
  permissionCatalog() {
    return call<PermissionInfo[]>("permission_catalog");
  }
  eventTypes() {
    return call<string[]>("event_types");
  }
  adviseEvents(path: string, text: string, events: string[]) {
    return call<EventAdvice[]>("advise_events", { path, text, events });
  }
  sandboxStatus() {
    return call<SandboxStatus>("sandbox_status");
  }
  uiReady() {
    return call<number>("ui_ready");
  }
}
