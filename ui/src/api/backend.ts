import type { Commands } from "../bindings/commands";

export type { SandboxStatus } from "../bindings/SandboxStatus";
export type { SandboxState } from "../bindings/SandboxState";

export interface OpenDialogOptions {
  /** Pick a folder (true) or a manifest file (false). */
  directory: boolean;
}

/**
 * Everything the UI asks of the Rust core. Every method rejects with an `AppError`.
 *
 * The shell's commands come from its command table (src-tauri/src/command_table/mod.rs), generated
 * with their argument and answer types into `ui/src/bindings/commands.ts` (method = camelCase of the
 * command; JSON in snake_case, like core's types). Two calls go to Tauri plugins instead.
 * Implemented by `tauriBackend()` (IPC) alone; component tests stub the calls they need
 * (`ui/src/test/stubBackend.tsx`), answering with core's real output (`ui/src/test/canned.ts`).
 */
export interface Backend extends Commands {
  /** Native folder/file picker; resolves null when cancelled. */
  openDialog(options: OpenDialogOptions): Promise<string | null>;
  /** Opens an https or loopback URL in the system browser (never a webview). */
  openUrl(url: string): Promise<void>;
}
