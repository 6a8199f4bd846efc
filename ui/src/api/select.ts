import type { Backend } from "./backend";
import { FakeBackend } from "./fake";
import { TauriBackend } from "./tauri";

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

/** The Tauri backend inside the desktop shell; the in-memory fake in a plain browser (`npm run dev`). */
export function createBackend(): Backend {
  if (typeof window !== "undefined" && window.__TAURI_INTERNALS__ !== undefined) return new TauriBackend();
  return new FakeBackend({ latency: 120 });
}
