import { vi } from "vitest";
import type { Backend, SandboxStatus } from "../api/backend";
import type { KeychainStatus } from "../bindings/KeychainStatus";
import { accounts, app } from "./canned";

/** The shell's view of the machine (not a core computation): the OS keychain works. */
export const KEYCHAIN_OK: KeychainStatus = { store: "os-keychain", problem: null, service: "dev.appdeck.desktop.dev" };

/** The embedded sandbox as the shell reports it once started with the project's app. */
export const SANDBOX_RUNNING: SandboxStatus = {
  state: "running",
  base_url: "http://127.0.0.1:12111",
  message: null,
  auto_consent: false,
  account_id: "acct_0000000000000001",
  app_id: "com.example.app",
  registered_from: "/a/stripe-app.json",
};

/**
 * The calls every render of `<App />` makes, answered for the canned project `/a` (its manifest in
 * the first screen), plus the test's own.
 */
export function appCalls(calls: Partial<Backend> = {}): Partial<Backend> {
  return {
    launchProject: vi.fn<Backend["launchProject"]>().mockResolvedValue(app.project),
    recentProjects: vi.fn<Backend["recentProjects"]>().mockResolvedValue([]),
    loadManifest: vi.fn<Backend["loadManifest"]>().mockResolvedValue(app.manifest),
    diskRevision: vi.fn<Backend["diskRevision"]>().mockResolvedValue(app.manifest.document.revision),
    keychainStatus: vi.fn<Backend["keychainStatus"]>().mockResolvedValue(KEYCHAIN_OK),
    sandboxStatus: vi.fn<Backend["sandboxStatus"]>().mockResolvedValue(SANDBOX_RUNNING),
    accountsList: vi.fn<Backend["accountsList"]>().mockResolvedValue(accounts.localOnly),
    uiReady: vi.fn<Backend["uiReady"]>().mockResolvedValue(0),
    ...calls,
  };
}
