import type { Backend } from "./backend";
import { AppError } from "./errors";
import { tauriBackend } from "./tauri";

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

/**
 * Outside the desktop shell there is no backend: every call says so. The UI runs on core's real
 * commands only; no second implementation of them ships in the bundle (CI checks the built chunks).
 */
function noBackend(): Backend {
  return new Proxy({} as Backend, {
    get(_, prop) {
      if (typeof prop !== "string" || prop === "then" || prop === "toJSON") return undefined;
      return () => Promise.reject(new AppError("internal", `${prop}: Appdeck's UI runs inside the desktop app (make run); a plain browser has no backend.`));
    },
  });
}

/** The Tauri backend inside the desktop shell. */
export function createBackend(): Backend {
  if (typeof window !== "undefined" && window.__TAURI_INTERNALS__ !== undefined) return tauriBackend();
  return noBackend();
}
