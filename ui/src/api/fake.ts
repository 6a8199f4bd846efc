import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { EventAdvice } from "../bindings/EventAdvice";
import type { ManifestEdit } from "../bindings/ManifestEdit";
import type { ManifestState } from "../bindings/ManifestState";
import type { PermissionInfo } from "../bindings/PermissionInfo";
import type { ProjectInfo } from "../bindings/ProjectInfo";
import type { Backend, OpenDialogOptions, SandboxStatus } from "./backend";
import { AppError } from "./errors";
import { DEMO_MANIFEST, FAKE_CATALOG, FAKE_EVENT_TYPES } from "./fakeData";
import { fakeApplyEdit, fakeDiff, fakeRevision, fakeValidate, parseManifest } from "./fakeLogic";

export interface FakeCall {
  command: string;
  args: Record<string, unknown>;
}

export interface FakeOptions {
  files?: Record<string, string>;
  launchPath?: string | null;
  catalog?: PermissionInfo[];
  eventTypes?: string[];
  /** null makes `sandbox_status` reject, as before the command exists. */
  sandbox?: SandboxStatus | null;
  /** Artificial latency in ms (the browser demo uses a little, tests none). */
  latency?: number;
  dialogResult?: string | null;
}

export const DEMO_PATH = "/demo/stripe-app.json";

/**
 * In-memory `Backend`: component tests drive it and inspect `calls`; a plain browser
 * (no `window.__TAURI_INTERNALS__`) runs the app on it.
 */
export class FakeBackend implements Backend {
  readonly files = new Map<string, string>();
  readonly calls: FakeCall[] = [];
  private recent: string[] = [];
  private readonly failures = new Map<string, ErrorPayload[]>();
  private readonly catalog: PermissionInfo[];
  private readonly events: string[];
  private readonly launchPath: string | null;
  private readonly latency: number;
  sandbox: SandboxStatus | null;
  dialogResult: string | null;

  constructor(options: FakeOptions = {}) {
    const files = options.files ?? { [DEMO_PATH]: DEMO_MANIFEST };
    for (const [path, text] of Object.entries(files)) this.files.set(path, text);
    this.launchPath = options.launchPath === undefined ? ([...this.files.keys()][0] ?? null) : options.launchPath;
    this.catalog = options.catalog ?? FAKE_CATALOG;
    this.events = options.eventTypes ?? FAKE_EVENT_TYPES;
    this.sandbox = options.sandbox === undefined ? { state: "running", base_url: "http://127.0.0.1:12111", message: null } : options.sandbox;
    this.latency = options.latency ?? 0;
    this.dialogResult = options.dialogResult === undefined ? "/demo" : options.dialogResult;
  }

  /** Make the next call of `command` reject with `payload`. */
  failNext(command: string, payload: ErrorPayload): void {
    const queue = this.failures.get(command) ?? [];
    queue.push(payload);
    this.failures.set(command, queue);
  }

  /** Simulate another program (an editor, `stripe apps grant`) writing the file. */
  writeExternally(path: string, text: string): void {
    this.files.set(path, text);
  }

  callsOf(command: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.command === command).map((c) => c.args);
  }

  private async run<T>(command: string, args: Record<string, unknown>, body: () => T): Promise<T> {
    this.calls.push({ command, args });
    if (this.latency > 0) await new Promise((r) => setTimeout(r, this.latency));
    else await Promise.resolve();
    const failure = this.failures.get(command)?.shift();
    if (failure) throw new AppError(failure.code, failure.message);
    return body();
  }

  private read(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw new AppError("manifest-unreadable", `Cannot read ${path}: no such file.`);
    return text;
  }

  private state(path: string): ManifestState {
    const text = this.read(path);
    return { document: { path, text, revision: fakeRevision(text) }, diagnostics: fakeValidate(text, this.catalog) };
  }

  private project(path: string): ProjectInfo {
    const root = path.slice(0, path.lastIndexOf("/")) || "/";
    const extensions = [...this.files.keys()].filter((p) => p !== path && p.startsWith(`${root}/stripe-app.`));
    return { manifest_path: path, root, extensions };
  }

  private checkRevision(path: string, expected: string): void {
    const current = this.files.get(path);
    if (current === undefined || fakeRevision(current) !== expected) {
      throw new AppError("manifest-changed-on-disk", `${path} changed on disk since it was loaded.`);
    }
  }

  launchProject() {
    return this.run("launch_project", {}, () => (this.launchPath && this.files.has(this.launchPath) ? this.project(this.launchPath) : null));
  }

  openProject(path: string) {
    return this.run("open_project", { path }, () => {
      const manifest = path.endsWith(".json") ? path : `${path.replace(/\/$/, "")}/stripe-app.json`;
      if (!this.files.has(manifest)) throw new AppError("project-not-found", `No stripe-app.json at ${path}.`);
      this.recent = [manifest, ...this.recent.filter((p) => p !== manifest)].slice(0, 10);
      return this.project(manifest);
    });
  }

  recentProjects() {
    return this.run("recent_projects", {}, () => [...this.recent]);
  }

  openDialog(options: OpenDialogOptions) {
    return this.run("open_dialog", { ...options }, () => this.dialogResult);
  }

  loadManifest(path: string) {
    return this.run("load_manifest", { path }, () => this.state(path));
  }

  validateManifestText(path: string, text: string) {
    return this.run("validate_manifest_text", { path, text }, () => fakeValidate(text, this.catalog));
  }

  previewEdit(path: string, text: string, edit: ManifestEdit) {
    return this.run("preview_edit", { path, text, edit }, () => {
      const next = fakeApplyEdit(text, edit, this.catalog);
      const unchanged = next === text || JSON.stringify(parseManifest(next)) === JSON.stringify(parseManifest(text));
      const out = unchanged ? text : next;
      return { text: out, diagnostics: fakeValidate(out, this.catalog), unchanged };
    });
  }

  saveManifest(path: string, expectedRevision: string, text: string) {
    return this.run("save_manifest", { path, expectedRevision, text }, () => {
      this.checkRevision(path, expectedRevision);
      this.files.set(path, text);
      return this.state(path);
    });
  }

  applyEditAndSave(path: string, expectedRevision: string, edit: ManifestEdit) {
    return this.run("apply_edit_and_save", { path, expectedRevision, edit }, () => {
      this.checkRevision(path, expectedRevision);
      this.files.set(path, fakeApplyEdit(this.read(path), edit, this.catalog));
      return this.state(path);
    });
  }

  diskRevision(path: string) {
    return this.run("disk_revision", { path }, () => {
      const text = this.files.get(path);
      return text === undefined ? null : fakeRevision(text);
    });
  }

  diffTexts(oldText: string, newText: string) {
    return this.run("diff_texts", { old: oldText, new: newText }, () => fakeDiff(oldText, newText));
  }

  permissionCatalog() {
    return this.run("permission_catalog", {}, () => this.catalog);
  }

  eventTypes() {
    return this.run("event_types", {}, () => this.events);
  }

  adviseEvents(path: string, text: string, events: string[]) {
    return this.run("advise_events", { path, text, events }, () => {
      let granted: string[] = [];
      try {
        const doc = parseManifest(text);
        const perms = Array.isArray(doc.permissions) ? doc.permissions : [];
        granted = perms.map((p: unknown) => String(typeof p === "object" && p !== null ? (p as { permission?: unknown }).permission : p));
      } catch {
        granted = [];
      }
      return events.map((event): EventAdvice => {
        const anyOf = this.catalog.filter((p) => p.events.includes(event)).map((p) => p.permission);
        const known = anyOf.length > 0;
        const grantedBy = anyOf.find((p) => granted.includes(p)) ?? null;
        const suggestion = grantedBy ? null : (anyOf.find((p) => p.endsWith("_read")) ?? anyOf[0] ?? null);
        const didYouMean = known ? null : (this.events.find((e) => e.startsWith(event.split(".")[0] ?? "")) ?? null);
        return { event, known, any_of: anyOf, granted_by: grantedBy, suggestion, did_you_mean: didYouMean };
      });
    });
  }

  sandboxStatus() {
    return this.run("sandbox_status", {}, () => {
      if (!this.sandbox) throw new AppError("internal", "sandbox_status is not available in this build.");
      return this.sandbox;
    });
  }

  uiReady() {
    return this.run("ui_ready", {}, () => 0);
  }
}
