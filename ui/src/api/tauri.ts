import { Channel, invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";
import { createCommands } from "../bindings/commands";
import type { Backend, OpenDialogOptions } from "./backend";
import { toAppError } from "./errors";

/** Invoke a command; a rejection (an `ErrorPayload` from Rust) becomes an `AppError`. */
async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toAppError(raw);
  }
}

async function openDialog(options: OpenDialogOptions): Promise<string | null> {
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

async function openUrl(url: string): Promise<void> {
  // The opener plugin's command; the capability limits it to https and loopback URLs.
  await call<undefined>("plugin:opener|open_url", { url });
}

/** The shell's commands over Tauri's IPC (the generated client), plus the dialog and opener plugins. */
export function tauriBackend(): Backend {
  const commands = createCommands({ invoke: call, channel: (onMessage) => new Channel(onMessage) });
  return { ...commands, openDialog, openUrl };
}
